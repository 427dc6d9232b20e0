using System.Text.Json.Nodes;
using Granary.Tests.Infrastructure;

namespace Granary.Tests.EndToEnd;

/// <summary>No orphan process, ever: not even when the silo itself is killed with SIGKILL.</summary>
public sealed class SiloCrashTests
{
    [Fact]
    public async Task KillSilo_WithRunningInstances_InstancesDieWithItAndNextUpCleansUp()
    {
        await using var cloud = await PrivateMicroCloud.StartAsync("crash");
        var push = await cloud.Cli.RunAsync("push", RepoPaths.Sample("node-hello"), "--name", "orphans", "-i", "2");
        Assert.True(push.ExitCode == 0, push.All);
        var app = JsonNode.Parse((await cloud.Cli.RunAsync("app", "orphans", "--json")).Out)!;
        var instanceIds = app["instanceDetails"]!.AsArray().Select(i => (string)i!["instanceId"]!).ToList();

        System.Diagnostics.Process.GetProcessById(await cloud.SiloPidAsync()).Kill();

        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (instanceIds.Any(id => ProcessTable.WithEnv("GRANARY_INSTANCE_ID", id).Count > 0))
        {
            Assert.True(DateTime.UtcNow < deadline, "instance processes outlived their silo");
            await Task.Delay(100);
        }

        // The next start of the node removes what the dead one left on disk.
        await cloud.Cli.RunAsync("micro", "down");
        var up = await cloud.Cli.RunAsync(TimeSpan.FromMinutes(5), "micro", "up", "--api-port", "0", "--edge-port", "0");
        Assert.True(up.ExitCode == 0, up.All);
        // The app is persisted, so the health manager starts it again: new instances, new directories.
        var instancesDir = Path.Combine(cloud.MicroDirectory, "data", "instances");
        var left = Directory.Exists(instancesDir) ? Directory.GetDirectories(instancesDir).Select(Path.GetFileName).ToList() : [];
        Assert.DoesNotContain(left, dir => instanceIds.Any(id => Guid.Parse(id).ToString("N") == dir));
    }
}
