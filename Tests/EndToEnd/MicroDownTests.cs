using System.Text.Json.Nodes;
using Granary.Tests.Infrastructure;

namespace Granary.Tests.EndToEnd;

/// <summary>A micro cloud of its own, because this test takes it down.</summary>
public sealed class MicroDownTests
{
    [Fact]
    public async Task MicroDown_WithRunningApps_NoProcessLeftBehind()
    {
        var cli = new CliRunner(Directory.CreateTempSubdirectory("granary-down-").FullName);
        try
        {
            Assert.Equal(0, (await cli.RunAsync(TimeSpan.FromMinutes(10), "micro", "up", "--api-port", "0", "--edge-port", "0")).ExitCode);
            var push = await cli.RunAsync("push", RepoPaths.Sample("node-hello"), "--name", "down-test", "-i", "2");
            Assert.True(push.ExitCode == 0, push.All);
            var app = JsonNode.Parse((await cli.RunAsync("app", "down-test", "--json")).Out)!;
            var instanceIds = app["instanceDetails"]!.AsArray().Select(i => (string)i!["instanceId"]!).ToList();
            var siloPid = int.Parse(await File.ReadAllTextAsync(Path.Combine(cli.Home, "micro", "silo.pid")));
            Assert.All(instanceIds, id => Assert.NotEmpty(ProcessTable.WithEnv("GRANARY_INSTANCE_ID", id)));

            var down = await cli.RunAsync("micro", "down");

            Assert.Equal(0, down.ExitCode);
            Assert.All(instanceIds, id => Assert.Empty(ProcessTable.WithEnv("GRANARY_INSTANCE_ID", id)));
            Assert.False(Directory.Exists($"/proc/{siloPid}") && !File.ReadAllText($"/proc/{siloPid}/stat").Contains(") Z"));
        }
        finally
        {
            await cli.RunAsync("micro", "down");
            Directory.Delete(cli.Home, recursive: true);
        }
    }
}
