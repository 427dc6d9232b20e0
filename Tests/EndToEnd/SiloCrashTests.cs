using System.Text.Json.Nodes;
using Granary.Tests.Infrastructure;

namespace Granary.Tests.EndToEnd;

/// <summary>No orphan process, ever: not even when the silo itself is killed with SIGKILL.</summary>
public sealed class SiloCrashTests
{
    [Fact]
    public async Task KillSilo_WithRunningInstances_InstancesDieWithItAndNextUpCleansUp()
    {
        var cli = new CliRunner(Directory.CreateTempSubdirectory("granary-crash-").FullName);
        try
        {
            Assert.Equal(0, (await cli.RunAsync(TimeSpan.FromMinutes(10), "micro", "up", "--api-port", "0", "--edge-port", "0")).ExitCode);
            var push = await cli.RunAsync("push", RepoPaths.Sample("node-hello"), "--name", "orphans", "-i", "2");
            Assert.True(push.ExitCode == 0, push.All);
            var app = JsonNode.Parse((await cli.RunAsync("app", "orphans", "--json")).Out)!;
            var instanceIds = app["instanceDetails"]!.AsArray().Select(i => (string)i!["instanceId"]!).ToList();
            var siloPid = int.Parse(await File.ReadAllTextAsync(Path.Combine(cli.Home, "micro", "silo.pid")));

            System.Diagnostics.Process.GetProcessById(siloPid).Kill();

            var deadline = DateTime.UtcNow.AddSeconds(15);
            while (instanceIds.Any(id => ProcessTable.WithEnv("GRANARY_INSTANCE_ID", id).Count > 0))
            {
                Assert.True(DateTime.UtcNow < deadline, "instance processes outlived their silo");
                await Task.Delay(100);
            }

            // The next start of the node removes what the dead one left on disk.
            await cli.RunAsync("micro", "down");
            Assert.Equal(0, (await cli.RunAsync(TimeSpan.FromMinutes(5), "micro", "up", "--api-port", "0", "--edge-port", "0")).ExitCode);
            var instancesDir = Path.Combine(cli.Home, "micro", "data", "instances");
            Assert.Empty(Directory.Exists(instancesDir) ? Directory.GetDirectories(instancesDir) : []);
        }
        finally
        {
            await cli.RunAsync("micro", "down");
            Directory.Delete(cli.Home, recursive: true);
        }
    }
}
