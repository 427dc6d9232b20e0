using System.Net.Http.Headers;
using Granary.Tests.Brokers;
using Granary.Tests.Infrastructure;
using Granary.Tests.Support.Postgres;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Granary.Tests.Services;

/// <summary>
/// A whole node (silo, API, DEA) with short broker timeouts, and the real PostgreSQL broker as its own
/// process against the shared test PostgreSQL server.
/// </summary>
public sealed class ServicesFixture : IAsyncLifetime
{
    private readonly SiloFactory _silo = new();
    private WebApplicationFactory<Granary.Silo.Hosting.NodeSettings> _node = null!;

    public HttpClient Api { get; private set; } = null!;
    public BrokerProcess Broker { get; private set; } = null!;
    public string AdminConnectionString { get; private set; } = "";

    public async Task InitializeAsync()
    {
        AdminConnectionString = await (await TestPostgres.Shared).CreateDatabaseAsync("platform");
        Broker = await BrokerProcess.StartAsync(AdminConnectionString);
        _node = _silo.WithWebHostBuilder(b =>
        {
            b.UseSetting("Granary:Services:RequestTimeout", "00:00:02");
            b.UseSetting("Granary:Services:PollInterval", "00:00:00.2");
            b.UseSetting("Granary:Services:OrphanRetryInterval", "00:00:00.2");
        });
        Api = _node.CreateClient();
        Api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", SiloFactory.Token);
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while ((await Api.GetAsync("/readyz")).StatusCode != System.Net.HttpStatusCode.OK)
        {
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException("the silo never became ready");
            await Task.Delay(100);
        }
    }

    public async Task DisposeAsync()
    {
        Api.Dispose();
        await _node.DisposeAsync();
        await _silo.DisposeAsync();
        await Broker.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class ServicesCollection : ICollectionFixture<ServicesFixture>
{
    public const string Name = "services";

    public static string Unique(string prefix) => $"{prefix}-{Guid.NewGuid().ToString("N")[..8]}";
}
