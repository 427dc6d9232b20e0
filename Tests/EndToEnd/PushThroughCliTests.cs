using System.Text.Json.Nodes;
using Granary.Tests.Infrastructure;

namespace Granary.Tests.EndToEnd;

/// <summary>The issue's "done when", tried through the real CLI against a real silo process.</summary>
[Collection(MicroCloudCollection.Name)]
public sealed class PushThroughCliTests(MicroCloudFixture cloud)
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(10) };

    [Fact]
    public void MicroUp_PrintsApiUrl() => Assert.Contains("API: http://127.0.0.1:", cloud.Up.Out);

    [Fact]
    public async Task Info_Json_NamesApiEdgeDomainVersion()
    {
        var info = JsonNode.Parse((await cloud.Cli.RunAsync("info", "--json")).Out)!;

        Assert.StartsWith("http://127.0.0.1:", (string?)info["api"]);
        Assert.StartsWith("http://localhost:", (string?)info["edge"]);
        Assert.Equal("localhost", (string?)info["domain"]);
        Assert.False(string.IsNullOrEmpty((string?)info["version"]));
        // CI runs as root on a machine with cgroups and bubblewrap: the micro cloud's DEA isolates.
        Assert.Equal("full", (string?)info["isolation"]);
    }

    [Theory]
    [InlineData("node-hello", "node")]
    [InlineData("python-hello", "python")]
    [InlineData("static-site", "static")]
    public async Task Push_Sample_DetectedStagedRunningAndAnswering(string sample, string framework)
    {
        var name = $"{sample}-{Guid.NewGuid().ToString("N")[..6]}";

        var push = await cloud.Cli.RunAsync("push", RepoPaths.Sample(sample), "--name", name);

        Assert.True(push.ExitCode == 0, push.All + cloud.SiloLog());
        Assert.Contains($"Detected framework: {framework}", push.Out);
        Assert.Contains("[STG]", push.Out);
        Assert.Contains("RUNNING", push.Out);
        var instance = await SingleInstanceAsync(name);
        var response = await Http.GetAsync($"http://{instance["host"]}:{instance["port"]}/");
        Assert.True(response.IsSuccessStatusCode);
    }

    [Fact]
    public async Task Stats_RunningApp_MemoryAgainstTheAppsLimitPerInstance()
    {
        var name = $"stats-{Guid.NewGuid().ToString("N")[..6]}";
        Assert.Equal(0, (await cloud.Cli.RunAsync("push", RepoPaths.Sample("python-hello"), "--name", name, "-m", "128M")).ExitCode);
        await SingleInstanceAsync(name);

        var stats = JsonNode.Parse((await cloud.Cli.RunAsync("stats", name, "--json")).Out)!.AsArray().Single()!;
        var table = await cloud.Cli.RunAsync("stats", name);

        Assert.Equal("RUNNING", (string?)stats["state"]);
        Assert.Equal(128L * 1024 * 1024, (long)stats["memoryLimitBytes"]!);
        Assert.InRange((long)stats["memoryBytes"]!, 1, 128L * 1024 * 1024);
        Assert.True((double)stats["cpuPercent"]! >= 0);
        Assert.Contains("of 128.0M", table.Out);
    }

    [Fact]
    public async Task Push_InvalidName_NonZeroExitWithOneLineReasonAndNoApp()
    {
        var push = await cloud.Cli.RunAsync("push", RepoPaths.Sample("node-hello"), "--name", "Not_Valid");

        Assert.NotEqual(0, push.ExitCode);
        Assert.StartsWith("error: ", push.Err.Trim());
        Assert.DoesNotContain("Not_Valid", (await cloud.Cli.RunAsync("apps", "--json")).Out);
    }

    [Fact]
    public async Task Push_UnsafeArchive_RefusedWithTheEntryNamed()
    {
        var archive = Path.Combine(cloud.Cli.Home, "unsafe.tar.gz");
        await File.WriteAllBytesAsync(archive, Archives.TarGz(Archives.File("app.py", "print(1)"), Archives.File("../escape.py", "x")));

        var push = await cloud.Cli.RunAsync("push", archive, "--name", "unsafe");

        Assert.NotEqual(0, push.ExitCode);
        Assert.Contains("../escape.py", push.Err);
        Assert.DoesNotContain("unsafe", (await cloud.Cli.RunAsync("apps", "--json")).Out);
    }

    [Fact]
    public async Task ScaleStopStart_ProcessesFollow()
    {
        var name = $"scale-{Guid.NewGuid().ToString("N")[..6]}";
        Assert.Equal(0, (await cloud.Cli.RunAsync("push", RepoPaths.Sample("node-hello"), "--name", name)).ExitCode);

        Assert.Equal(0, (await cloud.Cli.RunAsync("scale", name, "-i", "3")).ExitCode);
        var three = await WaitForRunningAsync(name, 3);
        Assert.Equal(3, three.Select(i => (int)i["port"]!).Distinct().Count());

        Assert.Equal(0, (await cloud.Cli.RunAsync("scale", name, "-i", "1")).ExitCode);
        await WaitForRunningAsync(name, 1);
        foreach (var gone in three.Where(i => (int)i["index"]! > 0))
        {
            await WaitForNoProcessAsync((string)gone["instanceId"]!);
        }

        Assert.Equal(0, (await cloud.Cli.RunAsync("stop", name)).ExitCode);
        await WaitForNoProcessAsync((string)three[0]["instanceId"]!);

        var start = await cloud.Cli.RunAsync("start", name);
        Assert.True(start.ExitCode == 0, start.All);
        Assert.Single(await WaitForRunningAsync(name, 1));
    }

    [Fact]
    public async Task Delete_ThenEvents_StillTellsWhatHappened()
    {
        var name = $"gone-{Guid.NewGuid().ToString("N")[..6]}";
        Assert.Equal(0, (await cloud.Cli.RunAsync("push", RepoPaths.Sample("python-hello"), "--name", name)).ExitCode);

        Assert.Equal(0, (await cloud.Cli.RunAsync("delete", name, "-f")).ExitCode);
        var events = await cloud.Cli.RunAsync("events", name);

        Assert.Equal(0, events.ExitCode);
        Assert.Contains("app.staged", events.Out);
        Assert.Contains("app.deleted", events.Out);
    }

    private async Task<JsonNode> SingleInstanceAsync(string name) => (await WaitForRunningAsync(name, 1)).Single();

    private async Task<List<JsonNode>> WaitForRunningAsync(string name, int count)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            var app = JsonNode.Parse((await cloud.Cli.RunAsync("app", name, "--json")).Out)!;
            var instances = app["instanceDetails"]!.AsArray().Select(i => i!).ToList();
            if (instances.Count == count && instances.All(i => (string?)i["state"] == "RUNNING"))
            {
                return instances;
            }

            Assert.True(DateTime.UtcNow < deadline, $"never {count} RUNNING: {app.ToJsonString()}");
            await Task.Delay(200);
        }
    }

    private static async Task WaitForNoProcessAsync(string instanceId)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (ProcessTable.WithEnv("GRANARY_INSTANCE_ID", instanceId).Count > 0)
        {
            Assert.True(DateTime.UtcNow < deadline, $"a process of instance {instanceId} is still alive");
            await Task.Delay(100);
        }
    }
}
