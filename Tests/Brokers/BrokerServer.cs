using Granary.Brokers.Postgres.Hosting;
using Granary.Tests.Support.Postgres;
using Microsoft.AspNetCore.Builder;

namespace Granary.Tests.Brokers;

/// <summary>The broker in this process, on a free loopback port, over real HTTP and a real PostgreSQL.</summary>
public sealed class BrokerServer : IAsyncDisposable
{
    public const string Username = "platform";
    public const string Password = "broker-secret-1";

    private readonly WebApplication _app;

    private BrokerServer(WebApplication app, string adminConnectionString)
    {
        _app = app;
        AdminConnectionString = adminConnectionString;
        Url = app.Urls.First();
    }

    public string Url { get; }
    public string AdminConnectionString { get; }

    /// <summary>A broker whose bookkeeping lives in a new database of the shared test server.</summary>
    public static async Task<BrokerServer> StartAsync(Action<BrokerOptions>? configure = null, string? adminConnectionString = null)
    {
        adminConnectionString ??= await (await TestPostgres.Shared).CreateDatabaseAsync("broker");
        var app = BrokerHost.Build([], o =>
        {
            o.AdminConnectionString = adminConnectionString;
            o.Username = Username;
            o.Password = Password;
            o.ListenUrl = "http://127.0.0.1:0";
            configure?.Invoke(o);
        });
        await app.StartBrokerAsync();
        return new BrokerServer(app, adminConnectionString);
    }

    public OsbClient Client() => new(Url);

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
