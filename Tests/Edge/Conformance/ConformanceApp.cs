using System.Text.Json.Nodes;
using Granary.Tests.EndToEnd;
using Granary.Tests.Infrastructure;

namespace Granary.Tests.Edge.Conformance;

/// <summary>
/// app/server.js pushed once per test class to the collection's micro cloud, and the two ways to reach its one
/// instance: through the edge (127.0.0.1:EDGEPORT, <c>Host: NAME.localhost</c>) and directly at its host:port.
/// One instance, so every request through the edge lands where the direct ones do.
/// </summary>
public sealed class ConformanceApp(MicroCloudFixture cloud) : IAsyncLifetime
{
    private static readonly string Folder = Path.Combine(RepoPaths.Root, "Tests", "Edge", "Conformance", "app");

    private int _edgePort;
    private string _instanceAddress = "";
    private int _instancePort;

    public string Name { get; } = $"conform-{Guid.NewGuid().ToString("N")[..6]}";

    internal string Host => $"{Name}.localhost";

    public async Task InitializeAsync()
    {
        var push = await cloud.Cli.RunAsync("push", Folder, "--name", Name, "--command", "node server.js");
        Assert.True(push.ExitCode == 0, push.All + cloud.SiloLog());
        var info = JsonNode.Parse((await cloud.Cli.RunAsync("info", "--json")).Out)!;
        _edgePort = new Uri((string)info["edge"]!).Port;
        (_instanceAddress, _instancePort) = await RunningInstanceAsync();
        await UntilRoutedAsync();
    }

    public async Task DisposeAsync() => await cloud.Cli.RunAsync("delete", Name, "-f");

    internal Task<RawHttpClient> EdgeAsync(TimeSpan? readTimeout = null) =>
        RawHttpClient.ConnectAsync("127.0.0.1", _edgePort, "edge", Host, readTimeout);

    internal Task<RawHttpClient> InstanceAsync(TimeSpan? readTimeout = null) =>
        RawHttpClient.ConnectAsync(_instanceAddress, _instancePort, "instance", Host, readTimeout);

    /// <summary>The instance's counters (/stats), asked directly so the edge cannot colour them.</summary>
    internal async Task<JsonNode> StatsAsync()
    {
        await using var client = await InstanceAsync();
        var response = await client.SendAsync(new RawRequest("GET", "/stats"));
        Assert.True(response.Status == 200, $"/stats answered {response}");
        return JsonNode.Parse(response.Text)!;
    }

    /// <summary>The edge log's last lines, for failures that may be the edge's.</summary>
    internal string EdgeLog(int lines = 15)
    {
        var log = Path.Combine(cloud.Cli.Home, "micro", "edge.log");
        return File.Exists(log) ? string.Join('\n', File.ReadLines(log).TakeLast(lines)) : "(no edge log)";
    }

    private async Task<(string Address, int Port)> RunningInstanceAsync()
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            var app = JsonNode.Parse((await cloud.Cli.RunAsync("app", Name, "--json")).Out)!;
            var running = app["instanceDetails"]!.AsArray().FirstOrDefault(i => (string?)i!["state"] == "RUNNING");
            if (running?["port"] is { } port && (string?)running["host"] is { Length: > 0 } host)
            {
                return (host is "0.0.0.0" or "localhost" ? "127.0.0.1" : host, (int)port);
            }

            Assert.True(DateTime.UtcNow < deadline, $"{Name} has no running instance: {app.ToJsonString()}");
            await Task.Delay(200);
        }
    }

    /// <summary>Until the edge's route table has the app: a push returns before every edge has synced.</summary>
    private async Task UntilRoutedAsync()
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            await using var edge = await EdgeAsync();
            var response = await edge.SendAsync(new RawRequest("GET", "/stats"));
            if (response.Status == 200)
            {
                return;
            }

            Assert.True(DateTime.UtcNow < deadline, $"the edge never routed {Host}: last answer {response}\n{EdgeLog()}");
            await Task.Delay(200);
        }
    }
}
