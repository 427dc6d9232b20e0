using System.Text.Json.Nodes;
using Granary.Tests.Infrastructure;

namespace Granary.Tests.Persistence;

/// <summary>The micro cloud keeps its state in its own PostgreSQL: what a user set up is there after down and up.</summary>
public sealed class MicroPersistenceTests
{
    [Fact]
    public async Task MicroDownThenUp_AppsRoutesEnvAndEventsAreAllThere_AndTheAppRunsAgain()
    {
        await using var cloud = await PrivateMicroCloud.StartAsync("persist");
        var cli = cloud.Cli;
        Assert.True((await cli.RunAsync("push", RepoPaths.Sample("node-hello"), "--name", "keeper")).ExitCode == 0);
        Assert.Equal(0, (await cli.RunAsync("set-env", "keeper", "GREETING", "hello again")).ExitCode);
        Assert.Equal(0, (await cli.RunAsync("map-route", "keeper", "www.keeper.example")).ExitCode);
        Assert.Equal(0, (await cli.RunAsync("scale", "keeper", "-m", "192M")).ExitCode);

        var down = await cli.RunAsync("micro", "down");
        Assert.Contains("Stopped PostgreSQL", down.Out);
        var up = await cli.RunAsync(TimeSpan.FromMinutes(5), "micro", "up", "--api-port", "0", "--edge-port", "0");
        Assert.True(up.ExitCode == 0, up.All);

        var app = JsonNode.Parse((await cli.RunAsync("app", "keeper", "--json")).Out)!;
        Assert.Equal(192, (int?)app["memoryMb"]);
        Assert.Contains("www.keeper.example", app["routes"]!.AsArray().Select(r => (string?)r));
        Assert.Contains("GREETING=hello again", (await cli.RunAsync("env", "keeper")).Out);
        Assert.Contains("www.keeper.example", (await cli.RunAsync("routes")).Out);
        var events = (await cli.RunAsync("events", "keeper")).Out;
        Assert.Contains("app.created", events);
        Assert.Contains("app.route_mapped", events);
        Assert.Contains("app.staged", events);

        // The health manager converges the restored app: it runs again and the edge routes to it.
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while ((int?)JsonNode.Parse((await cli.RunAsync("app", "keeper", "--json")).Out)!["runningInstances"] != 1)
        {
            Assert.True(DateTime.UtcNow < deadline, "keeper never ran again after micro up");
            await Task.Delay(500);
        }
        var edge = (string)JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(cli.Home, "config.json")))!["edge"]!;
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        using var request = new HttpRequestMessage(HttpMethod.Get, edge + "/");
        request.Headers.Host = "keeper.localhost";
        using var response = await http.SendAsync(request);
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    [Fact]
    public async Task MicroUpEphemeral_NoDatabase_AppsForgottenAtDown()
    {
        var cli = new CliRunner(Directory.CreateTempSubdirectory("granary-ephemeral-").FullName);
        try
        {
            var up = await cli.RunAsync(TimeSpan.FromMinutes(5), "micro", "up", "--ephemeral", "--api-port", "0", "--edge-port", "0");
            Assert.True(up.ExitCode == 0, up.All);
            Assert.Contains("in memory", up.Out);
            Assert.False(Directory.Exists(Path.Combine(cli.Home, "micro", "postgres")));
        }
        finally
        {
            await cli.RunAsync("micro", "down");
            Directory.Delete(cli.Home, recursive: true);
        }
    }
}
