using Granary.Apps;
using Granary.Instances;
using Granary.Nodes;

namespace Granary.Tests.Health;

/// <summary>A killed silo's instances come back on the surviving nodes (fake processes, real membership).</summary>
public sealed class NodeLossTests(ThreeNodeCluster nodes) : IClassFixture<ThreeNodeCluster>
{
    private IGrainFactory Grains => nodes.Cluster.Client;

    [Fact]
    public async Task Killing_a_silo_brings_its_instances_back_on_the_other_nodes()
    {
        var appId = await ClusterWaits.PushAsync(Grains, "loss", 6);
        var doomed = ThreeNodeCluster.Nodes[2];
        var before = await Grains.GetGrain<IAppGrain>(appId).GetInstances();
        Assert.Contains(before, i => i.NodeId == doomed);

        await nodes.Cluster.KillSiloAsync(nodes.SiloOf(doomed));

        var after = await ClusterWaits.UntilAsync(Grains, appId, all =>
            all.Length == 6 && all.All(i => i.State == InstanceState.Running && i.NodeId != doomed));
        Assert.Equal([0, 1, 2, 3, 4, 5], after.Select(i => i.Index).Order().ToArray());
        Assert.Contains(await Grains.GetGrain<IAppGrain>(appId).GetEvents(100),
            e => e.Type == AppEventTypes.InstanceLost && e.Message.Contains(doomed));
    }
}

/// <summary>Draining a node moves its instances elsewhere before stopping them.</summary>
public sealed class EvacuationTests(ThreeNodeCluster nodes) : IClassFixture<ThreeNodeCluster>
{
    private IGrainFactory Grains => nodes.Cluster.Client;

    [Fact]
    public async Task Evacuating_a_node_starts_replacements_first_then_stops_the_old_instances()
    {
        var appId = await ClusterWaits.PushAsync(Grains, "evac", 3);
        var leaving = ThreeNodeCluster.Nodes[1];
        var old = (await Grains.GetGrain<IAppGrain>(appId).GetInstances()).Where(i => i.NodeId == leaving).ToList();
        Assert.NotEmpty(old);

        await Grains.GetGrain<IDeaNodeGrain>(leaving).Drain();

        var after = await ClusterWaits.UntilAsync(Grains, appId, all =>
            all.Length == 3 && all.All(i => i.State == InstanceState.Running && i.NodeId != leaving));
        Assert.Equal([0, 1, 2], after.Select(i => i.Index).Order().ToArray());
        Assert.Empty(nodes.RuntimeOf(leaving).Instances);

        var events = (await Grains.GetGrain<IAppGrain>(appId).GetEvents(100)).ToList();
        foreach (var instance in old)
        {
            var evacuating = events.FindIndex(e => e.Type == AppEventTypes.InstanceEvacuating && e.Message.StartsWith($"instance {instance.Index} "));
            var evacuated = events.FindIndex(e => e.Type == AppEventTypes.InstanceEvacuated && e.Message.StartsWith($"instance {instance.Index} "));
            Assert.True(evacuating >= 0 && evacuated > evacuating, string.Join("\n", events.Select(e => e.Message)));
            Assert.Contains("is running", events[evacuated].Message);
        }

        // A drained node takes no new work: a scale-up lands elsewhere.
        await Grains.GetGrain<IAppGrain>(appId).Update(new AppUpdate(Instances: 4));
        var scaled = await ClusterWaits.UntilAsync(Grains, appId, all => all.Length == 4 && all.All(i => i.State == InstanceState.Running));
        Assert.DoesNotContain(scaled, i => i.NodeId == leaving);
    }
}
