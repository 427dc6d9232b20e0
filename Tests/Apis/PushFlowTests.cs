using System.Net;
using Granary.Tests.Infrastructure;

namespace Granary.Tests.Apis;

/// <summary>Real staging and real processes behind the API: what a user sees after push, scale, stop and start.</summary>
[Collection(SiloCollection.Name)]
public sealed class PushFlowTests(SiloFactory silo)
{
    private static readonly HttpClient Direct = new() { Timeout = TimeSpan.FromSeconds(10) };

    [Fact]
    public async Task Push_NodeHello_RunningAndAnswersWithItsIndex()
    {
        var driver = new AppDriver(await silo.ReadyAdminAsync());
        var id = await driver.PushAsync(SiloCollection.UniqueName("hello"), Archives.TarGzOfFolder(RepoPaths.Sample("node-hello")));

        var app = await driver.WaitUntilAsync(id, a => AppDriver.AllRunning(a, 1));

        var instance = AppDriver.Instances(app).Single();
        var body = await Direct.GetStringAsync($"http://{instance["host"]}:{instance["port"]}/");
        Assert.Contains("instance 0", body);
        Assert.Equal("node", (string?)app["droplet"]!["framework"]);
    }

    [Fact]
    public async Task Scale_UpThenDown_DistinctPortsThenExtraProcessesGone()
    {
        var driver = new AppDriver(await silo.ReadyAdminAsync());
        var api = silo.Admin();
        var id = await driver.PushAsync(SiloCollection.UniqueName("scale"), Archives.TarGzOfFolder(RepoPaths.Sample("node-hello")));
        await driver.WaitUntilAsync(id, a => AppDriver.AllRunning(a, 1));

        await api.PatchJson($"/v1/apps/{id}", new { instances = 3 });
        var three = await driver.WaitUntilAsync(id, a => AppDriver.AllRunning(a, 3));
        var ports = AppDriver.Instances(three).Select(i => (int)i["port"]!).ToList();
        Assert.Equal(3, ports.Distinct().Count());
        foreach (var (instance, index) in AppDriver.Instances(three).Select((i, n) => (i, n)))
        {
            Assert.Contains($"instance {index}", await Direct.GetStringAsync($"http://127.0.0.1:{instance["port"]}/"));
        }

        await api.PatchJson($"/v1/apps/{id}", new { instances = 1 });
        await driver.WaitUntilAsync(id, a => AppDriver.AllRunning(a, 1));

        foreach (var removed in AppDriver.Instances(three).Where(i => (int)i["index"]! > 0))
        {
            await WaitForNoProcessAsync((string)removed["instanceId"]!);
        }

        Assert.NotEmpty(ProcessTable.WithEnv("GRANARY_INSTANCE_ID", (string)AppDriver.Instances(three).First()["instanceId"]!));
    }

    [Fact]
    public async Task StopThenStart_NoProcessWhileStoppedThenRunningAgain()
    {
        var driver = new AppDriver(await silo.ReadyAdminAsync());
        var api = silo.Admin();
        var id = await driver.PushAsync(SiloCollection.UniqueName("stop"), Archives.TarGzOfFolder(RepoPaths.Sample("python-hello")));
        var running = await driver.WaitUntilAsync(id, a => AppDriver.AllRunning(a, 1));
        var before = (string)AppDriver.Instances(running).Single()["instanceId"]!;

        await api.PatchJson($"/v1/apps/{id}", new { state = "STOPPED" });
        await driver.WaitUntilAsync(id, a => a["instanceDetails"]!.AsArray().Count == 0);
        await WaitForNoProcessAsync(before);

        await api.PatchJson($"/v1/apps/{id}", new { state = "STARTED" });
        var again = await driver.WaitUntilAsync(id, a => AppDriver.AllRunning(a, 1));
        var instance = AppDriver.Instances(again).Single();
        Assert.NotEqual(before, (string)instance["instanceId"]!);
        Assert.Equal(HttpStatusCode.OK, (await Direct.GetAsync($"http://127.0.0.1:{instance["port"]}/")).StatusCode);
    }

    [Fact]
    public async Task Push_AppThatExitsAtOnce_CrashedWithExitCodeAndEvent()
    {
        var driver = new AppDriver(await silo.ReadyAdminAsync());
        var id = await driver.PushAsync(SiloCollection.UniqueName("exits"),
            Archives.TarGz(Archives.File("run.sh", "echo bye; exit 3")), command: "sh run.sh");

        var app = await driver.WaitUntilAsync(id, a => AppDriver.Instances(a).Any(i => (string?)i["state"] == "CRASHED"));

        Assert.Equal(3, (int?)AppDriver.Instances(app).Single()["lastExitCode"]);
        var events = (await (await silo.Admin().GetAsync($"/v1/apps/{id}/events")).Json()).AsArray();
        Assert.Contains(events, e => (string?)e!["type"] == "instance.crashed" && (string?)e["data"]!["exitCode"] == "3");
    }

    [Fact]
    public async Task Push_FailingBuildOverRunningApp_PreviousDropletKeepsServing()
    {
        var driver = new AppDriver(await silo.ReadyAdminAsync());
        var api = silo.Admin();
        var id = await driver.PushAsync(SiloCollection.UniqueName("keep"), Archives.TarGzOfFolder(RepoPaths.Sample("node-hello")));
        var running = await driver.WaitUntilAsync(id, a => AppDriver.AllRunning(a, 1));
        var port = (int)AppDriver.Instances(running).Single()["port"]!;

        // A package.json whose dependency cannot be installed: npm fails, staging fails.
        var broken = Archives.TarGz(
            Archives.File("package.json", "{\"name\":\"x\",\"version\":\"1.0.0\",\"scripts\":{\"start\":\"node s.js\"},\"dependencies\":{\"granary-no-such-package-zz\":\"1.0.0\"}}"),
            Archives.File("s.js", "process.exit(1)"));
        var content = new ByteArrayContent(broken);
        var package = await (await api.PostAsync("/v1/packages", content)).Json();
        await api.PostJson($"/v1/apps/{id}/builds", new { packageId = (string)package["packageId"]! });

        var failed = await driver.WaitUntilAsync(id, a => (string?)a["staging"]!["state"] == "FAILED", seconds: 180);
        Assert.False(string.IsNullOrEmpty((string?)failed["staging"]!["error"]));
        Assert.Equal(port, (int)AppDriver.Instances(failed).Single()["port"]!);
        Assert.Contains("instance 0", await Direct.GetStringAsync($"http://127.0.0.1:{port}/"));
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
