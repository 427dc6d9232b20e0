using Granary.Cluster;
using Granary.Instances;
using Granary.Silo.Dea;
using Granary.Silo.Dea.Isolation;
using Granary.Silo.Hosting;
using Granary.Tests.Infrastructure;

namespace Granary.Tests.Dea.Isolation;

/// <summary>A node that cannot isolate runs nothing, unless it was told it may run instances unisolated.</summary>
public sealed class UnisolatedNodeTests
{
    [Fact]
    public void Detect_NoBubblewrap_NoneSayingWhatToInstall()
    {
        var options = new DeaOptions { InstancesDirectory = Path.Combine(Path.GetTempPath(), "granary-nobwrap"), Isolation = { Bwrap = "/nonexistent/bwrap" } };

        var isolation = InstanceIsolation.Detect(options, new NodeSettings { NodeId = "nobwrap" });

        Assert.Equal(NodeIsolation.None, isolation.Level.Level);
        Assert.Contains(isolation.Level.Problems, p => p.Contains("apt-get install bubblewrap"));
        Assert.Contains("AllowUnisolated", isolation.Refusal);
    }

    [Fact]
    public void Detect_TurnedOff_NoneSayingSoWithoutProbing()
    {
        var options = new DeaOptions { InstancesDirectory = Path.Combine(Path.GetTempPath(), "granary-off"), Isolation = { Enabled = false } };

        var isolation = InstanceIsolation.Detect(options, new NodeSettings { NodeId = "off" });

        Assert.Equal(NodeIsolation.None, isolation.Level.Level);
        Assert.Contains("Granary:Dea:Isolation:Enabled=false", Assert.Single(isolation.Level.Problems));
        Assert.False(Directory.Exists(options.InstancesDirectory));
    }

    [Fact]
    public async Task StartAsync_NodeThatCannotIsolate_RefusedWithTheReasonAndTheWayOut()
    {
        await using var dea = new IsolatedRuntime(unisolated: true);

        var refused = await Assert.ThrowsAsync<NodeUnavailableException>(() => dea.StartAsync("sleep 60"));

        Assert.Contains("cannot isolate instances (a test says so)", refused.Message);
        Assert.Contains("--allow-unisolated", refused.Message);
        Assert.Empty(dea.Runtime.Instances);
    }

    [Fact]
    public async Task StartAsync_CannotIsolateButAllowed_RunsAsTheSilosUser()
    {
        await using var dea = new IsolatedRuntime(unisolated: true, allowUnisolated: true);

        var spec = await dea.StartAsync("echo \"uid=$(id -u)\"; sleep 60");

        await dea.WaitForStateAsync(spec, InstanceState.Running);
        var ownUid = File.ReadLines("/proc/self/status").First(l => l.StartsWith("Uid:")).Split('\t')[1];
        Assert.Equal($"uid={ownUid}", await dea.WaitForLineAsync(spec, "uid="));
        Assert.Null(dea.Isolation.Refusal);
        await dea.StopAsync(spec);
        Assert.Empty(ProcessTable.WithEnv("GRANARY_INSTANCE_ID", spec.InstanceId.ToString()));
    }
}
