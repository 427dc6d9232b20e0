using System.Collections.Immutable;
using Granary.Apps;
using Granary.Instances;
using Granary.Nodes;

namespace Granary.Tests.Cluster;

public sealed class NodePlacementTests : IClassFixture<TwoNodeCluster>
{
    private readonly TwoNodeCluster _nodes;

    public NodePlacementTests(TwoNodeCluster nodes) => _nodes = nodes;

    private IGrainFactory Grains => _nodes.Cluster.Client;

    [Theory]
    [InlineData("node-silo-0", 1000)]
    [InlineData("node-silo-1", 2000)]
    public async Task DeaNode_Key_ActivatedOnThatNodesSilo(string nodeId, int memoryOfThatSilo)
    {
        var capacity = await Grains.GetGrain<IDeaNodeGrain>(nodeId).GetCapacity();

        Assert.Equal(memoryOfThatSilo, capacity.TotalMemoryMb);
    }

    [Fact]
    public async Task DeaNode_UnknownNode_RefusedNotPlacedElsewhere()
    {
        var error = await Assert.ThrowsAnyAsync<Exception>(() => Grains.GetGrain<IDeaNodeGrain>("node-nowhere").GetCapacity());

        Assert.Contains("node-nowhere", error.Message);
    }

    [Fact]
    public async Task Push_FourInstancesTwoNodes_TwoOnEachAllRunning()
    {
        foreach (var node in new[] { "node-silo-0", "node-silo-1" })
        {
            await Grains.GetGrain<IDeaNodeGrain>(node).Announce();
        }

        var spec = new AppSpec($"spread-{Guid.NewGuid():N}"[..20], 4, 256, ImmutableDictionary<string, string>.Empty, null,
            HealthCheckSpec.Default, AppState.Started);
        var app = await Grains.GetGrain<ISpaceGrain>("default").CreateApp(spec);
        await Grains.GetGrain<IAppGrain>(app.Id).StartBuild("pkg1");

        var instances = await WaitForAsync(app.Id, all => all.Length == 4 && all.All(i => i.State == InstanceState.Running));

        Assert.Equal([0, 1, 2, 3], instances.Select(i => i.Index).Order().ToArray());
        Assert.Equal([2, 2], instances.GroupBy(i => i.NodeId).Select(g => g.Count()).ToArray());
    }

    [Fact]
    public async Task Push_MoreMemoryThanTheClusterHas_PlacesWhatFitsAndSaysWhy()
    {
        foreach (var node in new[] { "node-silo-0", "node-silo-1" })
        {
            await Grains.GetGrain<IDeaNodeGrain>(node).Announce();
        }

        var spec = new AppSpec($"huge-{Guid.NewGuid():N}"[..20], 3, 1400, ImmutableDictionary<string, string>.Empty, null,
            HealthCheckSpec.Default, AppState.Started);
        var app = await Grains.GetGrain<ISpaceGrain>("default").CreateApp(spec);
        await Grains.GetGrain<IAppGrain>(app.Id).StartBuild("pkg2");

        var instances = await WaitForAsync(app.Id, all => all.Length == 1 && all[0].State == InstanceState.Running);

        Assert.Equal("node-silo-1", instances[0].NodeId);
        var events = await Grains.GetGrain<IAppGrain>(app.Id).GetEvents(50);
        Assert.Contains(events, e => e.Type == AppEventTypes.PlacementFailed && e.Message.Contains("1400 MB"));
    }

    private async Task<ImmutableArray<InstanceInfo>> WaitForAsync(Guid appId, Func<ImmutableArray<InstanceInfo>, bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var instances = await Grains.GetGrain<IAppGrain>(appId).GetInstances();
            if (condition(instances))
            {
                return instances;
            }

            Assert.True(DateTime.UtcNow < deadline, "never converged: " + string.Join(", ", instances));
            await Task.Delay(50);
        }
    }
}
