using System.Text.Json.Nodes;
using Granary.Tests.Infrastructure;

namespace Granary.Tests.EndToEnd;

/// <summary>A micro cloud of its own, because this test takes it down.</summary>
public sealed class MicroDownTests
{
    [Fact]
    public async Task MicroDown_WithRunningApps_NoProcessLeftBehind()
    {
        await using var cloud = await PrivateMicroCloud.StartAsync("down");
        var push = await cloud.Cli.RunAsync("push", RepoPaths.Sample("node-hello"), "--name", "down-test", "-i", "2");
        Assert.True(push.ExitCode == 0, push.All);
        var app = JsonNode.Parse((await cloud.Cli.RunAsync("app", "down-test", "--json")).Out)!;
        var instanceIds = app["instanceDetails"]!.AsArray().Select(i => (string)i!["instanceId"]!).ToList();
        var siloPid = await cloud.SiloPidAsync();
        Assert.All(instanceIds, id => Assert.NotEmpty(ProcessTable.WithEnv("GRANARY_INSTANCE_ID", id)));

        var down = await cloud.Cli.RunAsync("micro", "down");

        Assert.Equal(0, down.ExitCode);
        Assert.All(instanceIds, id => Assert.Empty(ProcessTable.WithEnv("GRANARY_INSTANCE_ID", id)));
        Assert.False(Directory.Exists($"/proc/{siloPid}") && !File.ReadAllText($"/proc/{siloPid}/stat").Contains(") Z"));
    }
}
