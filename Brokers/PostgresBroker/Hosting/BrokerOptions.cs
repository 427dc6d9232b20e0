using Npgsql;

namespace Granary.Brokers.Postgres.Hosting;

/// <summary>When the broker answers 202 and works in the background instead of answering when done.</summary>
public enum AsyncPolicy
{
    /// <summary>Asynchronous when the platform sends <c>accepts_incomplete=true</c>, synchronous otherwise.</summary>
    Allowed = 0,
    /// <summary>Always synchronous; <c>accepts_incomplete</c> is ignored, as the spec allows.</summary>
    Never = 1,
    /// <summary>Only asynchronous: requests without <c>accepts_incomplete=true</c> get 422 AsyncRequired.</summary>
    Required = 2,
}

/// <summary>The <c>Broker</c> configuration section (environment: <c>Broker__AdminConnectionString</c>, …).</summary>
public sealed class BrokerOptions
{
    public const string Section = "Broker";

    /// <summary>
    /// A superuser (or CREATEDB + CREATEROLE) connection to the server that holds the databases. The
    /// broker's own bookkeeping lives in the <c>granary_broker</c> schema of this same database.
    /// </summary>
    public string AdminConnectionString { get; set; } = "";

    /// <summary>Basic auth user name and password the platform must send on every /v2 request.</summary>
    public string Username { get; set; } = "";
    public string Password { get; set; } = "";

    /// <summary>Where the broker listens, e.g. <c>http://127.0.0.1:7790</c>; port 0 picks a free port.</summary>
    public string ListenUrl { get; set; } = "http://127.0.0.1:7790";

    /// <summary>Host and port put into credentials; default: the admin connection's host and port.</summary>
    public string? PublicHost { get; set; }
    public int? PublicPort { get; set; }

    public AsyncPolicy Async { get; set; } = AsyncPolicy.Allowed;

    /// <summary>
    /// How long an asynchronous operation waits before it starts its work. Zero in production; operators
    /// and tests raise it to watch a platform poll <c>last_operation</c> and send concurrent requests.
    /// </summary>
    public TimeSpan AsyncStartDelay { get; set; } = TimeSpan.Zero;

    public string CredentialsHost => PublicHost ?? new NpgsqlConnectionStringBuilder(AdminConnectionString).Host ?? "127.0.0.1";
    public int CredentialsPort => PublicPort ?? new NpgsqlConnectionStringBuilder(AdminConnectionString).Port;

    /// <summary>Every problem with the configuration, so the broker refuses to start with one clear message.</summary>
    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        if (string.IsNullOrWhiteSpace(AdminConnectionString))
            problems.Add("Broker:AdminConnectionString is required (a superuser connection to the PostgreSQL server)");
        else
        {
            try { _ = new NpgsqlConnectionStringBuilder(AdminConnectionString); }
            catch (ArgumentException e) { problems.Add($"Broker:AdminConnectionString is not a valid connection string: {e.Message}"); }
        }
        if (string.IsNullOrEmpty(Username) || Username.Contains(':'))
            problems.Add("Broker:Username is required and may not contain ':'");
        if (string.IsNullOrEmpty(Password))
            problems.Add("Broker:Password is required");
        if (!Uri.TryCreate(ListenUrl, UriKind.Absolute, out _))
            problems.Add($"Broker:ListenUrl '{ListenUrl}' is not an absolute URL");
        if (AsyncStartDelay < TimeSpan.Zero)
            problems.Add("Broker:AsyncStartDelay may not be negative");
        return problems;
    }
}
