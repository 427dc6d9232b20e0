using Npgsql;

namespace Granary.Silo.Persistence;

/// <summary>
/// Where this node's state lives: the PostgreSQL connection string from <c>Granary:Database</c> or the
/// GRANARY_DATABASE environment variable (preferred: it keeps the password out of process listings).
/// None means the in-memory, single-machine mode.
/// </summary>
public sealed record DatabaseSettings(string ConnectionString)
{
    public const string Invariant = "Npgsql";
    public const string EnvironmentVariable = "GRANARY_DATABASE";

    public static DatabaseSettings? From(IConfiguration configuration, Func<string, string?>? env = null)
    {
        var configured = configuration["Granary:Database"];
        if (string.IsNullOrWhiteSpace(configured))
            configured = (env ?? Environment.GetEnvironmentVariable)(EnvironmentVariable);
        return string.IsNullOrWhiteSpace(configured) ? null : new DatabaseSettings(Normalize(configured));
    }

    /// <summary>
    /// UTC sessions, because Orleans binds some timestamps as zone-less values that PostgreSQL would otherwise
    /// read in the server's zone; an application name so pg_stat_activity shows who is connected; short
    /// connect and command timeouts so an outage fails calls quickly instead of holding them for 15-30 s.
    /// </summary>
    public static string Normalize(string connectionString)
    {
        NpgsqlConnectionStringBuilder builder;
        try
        {
            builder = new NpgsqlConnectionStringBuilder(connectionString);
        }
        catch (ArgumentException e)
        {
            throw new InvalidOperationException(
                $"Granary:Database (or {EnvironmentVariable}) is not a PostgreSQL connection string: {e.Message}. " +
                "Expected e.g. Host=10.0.0.5;Port=5432;Username=granary;Password=...;Database=granary", e);
        }

        builder.Timezone ??= "UTC";
        builder.ApplicationName ??= "granary-silo";
        if (!connectionString.Contains("Timeout", StringComparison.OrdinalIgnoreCase))
        {
            builder.Timeout = 5;
            builder.CommandTimeout = 15;
        }
        return builder.ConnectionString;
    }

    /// <summary>Host and database, never the password: safe for logs and error messages.</summary>
    public string Describe()
    {
        var builder = new NpgsqlConnectionStringBuilder(ConnectionString);
        return $"{builder.Host}:{builder.Port}/{builder.Database}";
    }
}
