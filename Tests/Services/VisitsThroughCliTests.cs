using System.Text.Json.Nodes;
using Granary.Tests.Brokers;
using Granary.Tests.EndToEnd;
using Granary.Tests.Infrastructure;
using Granary.Tests.Support.Postgres;

namespace Granary.Tests.Services;

/// <summary>
/// The issue's "done when", through the real CLI and micro cloud: the real broker process on a real
/// PostgreSQL, samples/visits bound to a database, the count surviving restarts and re-pushes, and
/// delete-service removing the database and its logins.
/// </summary>
[Collection(MicroCloudCollection.Name)]
public sealed class VisitsThroughCliTests(MicroCloudFixture cloud)
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(10) };

    [Fact]
    public async Task Visits_BoundToPostgres_CountSurvivesRestartAndRepush_DeleteServiceRemovesDatabase()
    {
        var admin = await (await TestPostgres.Shared).CreateDatabaseAsync("visits");
        await using var broker = await BrokerProcess.StartAsync(admin);
        var suffix = Guid.NewGuid().ToString("N")[..6];
        var (brokerName, app, service) = ($"pg-{suffix}", $"visits-{suffix}", $"db-{suffix}");

        await Ok("create-service-broker", brokerName, broker.Url, BrokerServer.Username, BrokerServer.Password);
        Assert.Contains("small, medium", (await Ok("marketplace")).Out);
        Assert.Contains("Created", (await Ok("create-service", "postgresql", "small", service, "--broker", brokerName)).Out);
        await Ok("push", RepoPaths.Sample("visits"), "--name", app);
        Assert.Contains("no database bound", await GetAsync(app));

        Assert.Contains("restart", (await Ok("bind-service", app, service)).Out);
        await Ok("restart", app);
        Assert.StartsWith("visits: 1", await GetAsync(app));
        Assert.StartsWith("visits: 2", await GetAsync(app));
        await Ok("restart", app);
        Assert.StartsWith("visits: 3", await GetAsync(app));
        await Ok("push", RepoPaths.Sample("visits"), "--name", app);
        Assert.StartsWith("visits: 4", await GetAsync(app));

        var appJson = (await Ok("app", app, "--json")).Out + (await Ok("events", app)).Out + (await Ok("services", "--json")).Out;
        Assert.DoesNotContain("postgres://", appJson);
        var refused = await cloud.Cli.RunAsync("delete-service", service);
        Assert.NotEqual(0, refused.ExitCode);
        Assert.Contains("unbind", refused.Err);

        var inspector = new ServerInspector(admin);
        var database = (await inspector.DatabaseOfInstanceAsync((string)JsonNode.Parse((await Ok("services", "--json")).Out)!.AsArray()
            .Single(s => (string)s!["name"]! == service)!["id"]!))!;
        await Ok("unbind-service", app, service);
        await Ok("delete-service", service);
        Assert.False(await inspector.DatabaseExistsAsync(database));
        Assert.Equal(0, await inspector.RolesLikeAsync(database));
        await Ok("delete", app, "-f");
        await Ok("delete-service-broker", brokerName);
    }

    private async Task<CliResult> Ok(params string[] args)
    {
        var result = await cloud.Cli.RunAsync(args);
        Assert.True(result.ExitCode == 0, $"granary {string.Join(' ', args)}: {result.All}\n{cloud.SiloLog()}");
        return result;
    }

    /// <summary>GET / of the app's one RUNNING instance, waiting for it after a restart or push.</summary>
    private async Task<string> GetAsync(string app)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            var json = JsonNode.Parse((await cloud.Cli.RunAsync("app", app, "--json")).Out)!;
            var running = json["instanceDetails"]!.AsArray().Where(i => (string?)i!["state"] == "RUNNING").ToList();
            if (running.Count == 1)
            {
                try
                {
                    // 503 "no database bound" is an answer too.
                    return await (await Http.GetAsync($"http://{running[0]!["host"]}:{running[0]!["port"]}/")).Content.ReadAsStringAsync();
                }
                catch (HttpRequestException) when (DateTime.UtcNow < deadline)
                {
                }
            }
            Assert.True(DateTime.UtcNow < deadline, $"{app} never ran one instance: {json.ToJsonString()}");
            await Task.Delay(200);
        }
    }
}
