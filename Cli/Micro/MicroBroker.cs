using System.Net.Http.Headers;
using System.Text;
using Granary.Cli.Api;
using Granary.Cli.Commands;
using Npgsql;

namespace Granary.Cli.Micro;

/// <summary>
/// The micro cloud's data services: Granary's PostgreSQL broker (Brokers/PostgresBroker), run next to the
/// silo on the micro cloud's own PostgreSQL and registered as <c>postgresql</c>, so
/// <c>granary create-service postgresql small db1</c> works right after <c>micro up</c>.
/// </summary>
internal static class MicroBroker
{
    public const string Marker = "Granary.PostgresBroker.dll";
    public const string Name = "postgresql";
    private const string User = "granary";

    public sealed record Endpoint(string Url, string Password);

    /// <summary>Starts the broker; null when it is not built. Its port is kept across restarts, so the registration stays valid.</summary>
    public static async Task<Endpoint?> StartAsync(CommandContext ctx, MicroPaths paths, string brokerDll, string databaseConnectionString,
        string dotnet, CancellationToken ct)
    {
        var port = File.Exists(paths.BrokerPort) && int.TryParse(File.ReadAllText(paths.BrokerPort).Trim(), out var kept) && FreePorts.IsFree(kept)
            ? kept
            : FreePorts.Pick(1)[0];
        File.WriteAllText(paths.BrokerPort, port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var endpoint = new Endpoint($"http://127.0.0.1:{port}", AdminToken.LoadOrCreate(paths.BrokerPassword));
        // The broker creates databases and roles: it connects as the micro cloud's superuser, to the maintenance database.
        var admin = new NpgsqlConnectionStringBuilder(databaseConnectionString) { Database = "postgres", ApplicationName = "granary-broker" };
        var pid = await DetachedProcess.StartAsync(dotnet,
            [brokerDll, "--Broker:ListenUrl", endpoint.Url, "--Broker:Username", User],
            paths.BrokerLog, paths.BrokerPid,
            new Dictionary<string, string> { ["Broker__AdminConnectionString"] = admin.ConnectionString, ["Broker__Password"] = endpoint.Password },
            ct);
        ctx.Console.Line($"Started the PostgreSQL service broker (pid {pid}), log: {paths.BrokerLog}");
        await WaitReadyAsync(endpoint, ct);
        return endpoint;
    }

    /// <summary>Registers the broker with the controller once; a later <c>micro up</c> finds it there.</summary>
    public static async Task RegisterAsync(GranaryApiClient api, Endpoint endpoint, CancellationToken ct)
    {
        var (brokers, _) = await api.ListServiceBrokersAsync(ct);
        if (brokers.Any(b => b.Name == Name))
            return;
        await api.CreateServiceBrokerAsync(new CreateServiceBrokerRequest(Name, endpoint.Url, User, endpoint.Password), ct);
    }

    private static async Task WaitReadyAsync(Endpoint endpoint, CancellationToken ct)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTimeOffset.UtcNow.AddSeconds(60);
        while (true)
        {
            try
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, endpoint.Url + "/v2/catalog");
                request.Headers.Authorization = new AuthenticationHeaderValue("Basic",
                    Convert.ToBase64String(Encoding.UTF8.GetBytes($"{User}:{endpoint.Password}")));
                request.Headers.Add("X-Broker-API-Version", "2.17");
                using var response = await http.SendAsync(request, ct);
                if (response.IsSuccessStatusCode)
                    return;
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException) when (!ct.IsCancellationRequested)
            {
            }

            if (DateTimeOffset.UtcNow > deadline)
                throw new CliException($"the PostgreSQL service broker did not answer at {endpoint.Url} within 60 s (log: see micro/broker.log)");
            await Task.Delay(200, ct);
        }
    }
}
