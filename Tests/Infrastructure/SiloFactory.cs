using System.Net.Http.Headers;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Granary.Tests.Infrastructure;

/// <summary>
/// A whole Granary node in this test process: the real silo (its own ports and cluster id), the real
/// API and a real DEA that starts real processes, with a home directory of its own.
/// </summary>
public sealed class SiloFactory : WebApplicationFactory<Granary.Silo.Hosting.NodeSettings>
{
    public const string Token = "test-admin-token-0123456789";

    public string Home { get; } = Directory.CreateTempSubdirectory("granary-silo-").FullName;

    /// <summary>Upload limit for tests of the 413 path; large enough for the samples.</summary>
    public long MaxPackageBytes { get; init; } = 4 * 1024 * 1024;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        var settings = new Dictionary<string, string>
        {
            ["Granary:Home"] = Home,
            ["Granary:NodeId"] = "test-node",
            ["Granary:AdminToken"] = Token,
            ["Granary:Domain"] = "localhost",
            ["Granary:EdgeUrl"] = "http://localhost:7780",
            ["Granary:Dea:MemoryMb"] = "4096",
            ["Granary:Dea:StopGrace"] = "00:00:03",
            ["Granary:Staging:MaxPackageBytes"] = MaxPackageBytes.ToString(),
            ["Orleans:ClusterId"] = "test-" + Guid.NewGuid().ToString("N")[..8],
            ["Orleans:SiloPort"] = FreeTcpPort.Next().ToString(),
            ["Orleans:GatewayPort"] = FreeTcpPort.Next().ToString(),
        };
        foreach (var (key, value) in settings)
        {
            builder.UseSetting(key, value);
        }
    }

    /// <summary>A client that sends the admin token.</summary>
    public HttpClient Admin()
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Token);
        return client;
    }

    /// <summary>Waits until the node says it is ready (silo up, DEA announced).</summary>
    public async Task<HttpClient> ReadyAdminAsync()
    {
        var client = Admin();
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while ((await client.GetAsync("/readyz")).StatusCode != System.Net.HttpStatusCode.OK)
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException("the silo never became ready");
            }

            await Task.Delay(100);
        }

        return client;
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        try
        {
            Directory.Delete(Home, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
