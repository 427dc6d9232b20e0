using Granary.Apps;
using Granary.Instances;

namespace Granary.Tests.Health;

/// <summary>The health manager in a three-node cluster (fake processes): crashes and vanished instances come back.</summary>
public sealed class HealthManagerClusterTests(ThreeNodeCluster nodes) : IClassFixture<ThreeNodeCluster>
{
    private IGrainFactory Grains => nodes.Cluster.Client;

    [Fact]
    public async Task A_crashed_instance_comes_back_running_and_its_crash_is_listed()
    {
        var appId = await ClusterWaits.PushAsync(Grains, "crash", 2);
        var victim = (await Grains.GetGrain<IAppGrain>(appId).GetInstances()).Single(i => i.Index == 1);

        await nodes.RuntimeOf(victim.NodeId).CrashAsync(victim.InstanceId, exitCode: 3);

        var after = await ClusterWaits.UntilAsync(Grains, appId, all =>
            all.Length == 2 && all.All(i => i.State == InstanceState.Running) && all.All(i => i.InstanceId != victim.InstanceId));
        Assert.Equal([0, 1], after.Select(i => i.Index).Order().ToArray());
        var crash = Assert.Single(await Grains.GetGrain<IAppGrain>(appId).GetCrashes());
        Assert.Equal(victim.InstanceId, crash.InstanceId);
        Assert.Equal(3, crash.ExitCode);
        var events = await Grains.GetGrain<IAppGrain>(appId).GetEvents(50);
        Assert.Contains(events, e => e.Type == AppEventTypes.Crashed && e.Message.Contains("instance 1 crashed"));
        Assert.Contains(events, e => e.Type == AppEventTypes.InstanceRestarted && e.Message.Contains("instance 1"));
    }

    [Fact]
    public async Task The_crash_record_gets_the_last_lines_from_the_exit_event()
    {
        var appId = await ClusterWaits.PushAsync(Grains, "lines", 1);
        var victim = (await Grains.GetGrain<IAppGrain>(appId).GetInstances()).Single();

        await nodes.RuntimeOf(victim.NodeId).CrashAsync(victim.InstanceId, exitCode: 7);

        var deadline = DateTime.UtcNow.AddSeconds(20);
        while ((await Grains.GetGrain<IAppGrain>(appId).GetCrashes()) is var crashes
            && !crashes.Any(c => c.LastLines.Contains("last words")) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
        }

        var crash = Assert.Single(await Grains.GetGrain<IAppGrain>(appId).GetCrashes());
        Assert.Contains("last words", crash.LastLines);
        Assert.Equal(7, crash.ExitCode);
    }

    [Fact]
    public async Task An_instance_that_vanishes_without_a_word_is_started_again()
    {
        // No report and no exit event reach anyone (both lost): only the heartbeats tell.
        var appId = await ClusterWaits.PushAsync(Grains, "vanish", 2);
        var victim = (await Grains.GetGrain<IAppGrain>(appId).GetInstances()).Single(i => i.Index == 0);

        nodes.RuntimeOf(victim.NodeId).VanishSilently(victim.InstanceId);

        var after = await ClusterWaits.UntilAsync(Grains, appId, all =>
            all.Length == 2 && all.All(i => i.State == InstanceState.Running) && all.All(i => i.InstanceId != victim.InstanceId));
        Assert.Contains(await Grains.GetGrain<IAppGrain>(appId).GetEvents(50),
            e => e.Type == AppEventTypes.InstanceLost && e.Message.Contains("no longer runs it"));
    }

    [Fact]
    public async Task A_stray_instance_no_app_owns_is_stopped()
    {
        var appId = await ClusterWaits.PushAsync(Grains, "stray", 1);
        var runtime = nodes.RuntimeOf(ThreeNodeCluster.Nodes[0]);
        var stray = new Granary.Nodes.InstanceSpec(Guid.NewGuid(), appId, "stray", 5, "d-x", "run", 64,
            System.Collections.Immutable.ImmutableDictionary<string, string>.Empty, HealthCheckSpec.Default, []);
        await runtime.StartAsync(stray);
        runtime.Backdate(stray.InstanceId, TimeSpan.FromMinutes(1));

        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (runtime.Instances.Any(i => i.InstanceId == stray.InstanceId) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
        }

        Assert.DoesNotContain(runtime.Instances, i => i.InstanceId == stray.InstanceId);
        Assert.Single(await Grains.GetGrain<IAppGrain>(appId).GetInstances());
    }
}
