using System.Collections.Immutable;
using Granary.Nodes;

namespace Granary.Tests.Nodes;

public sealed class InstancePlacementTests
{
    private static readonly Guid App = Guid.NewGuid();
    private static readonly Guid OtherApp = Guid.NewGuid();

    private static NodeCapacity Node(string id, int total, int reserved = 0, int instances = 0, int ofApp = 0) =>
        new(id, total, reserved, instances,
            ofApp > 0 ? ImmutableDictionary<Guid, int>.Empty.Add(App, ofApp) : ImmutableDictionary<Guid, int>.Empty,
            DateTimeOffset.UnixEpoch);

    [Fact]
    public void Place_ThreeInstancesThreeEqualNodes_OneOnEach()
    {
        var plan = InstancePlacement.Place([Node("a", 4096), Node("b", 4096), Node("c", 4096)], App, 256, 3);

        Assert.Equal(0, plan.Unplaced);
        Assert.Equal(["a", "b", "c"], plan.NodeIds.Order().ToArray());
    }

    [Fact]
    public void Place_NodeAlreadyRunsTheApp_OtherNodePreferred()
    {
        var plan = InstancePlacement.Place([Node("a", 4096, 256, 1, ofApp: 1), Node("b", 4096, 3000, 10)], App, 256, 1);

        Assert.Equal(["b"], plan.NodeIds.ToArray());
    }

    [Fact]
    public void Place_EqualSpread_LeastLoadedByMemoryShareFirst()
    {
        var plan = InstancePlacement.Place([Node("a", 4096, 2048, 2), Node("b", 4096, 512, 5)], App, 256, 1);

        Assert.Equal(["b"], plan.NodeIds.ToArray());
    }

    [Fact]
    public void Place_MemoryDoesNotFit_NodeSkipped()
    {
        var plan = InstancePlacement.Place([Node("small", 1024, 900), Node("big", 8192, 7000)], App, 512, 1);

        Assert.Equal(["big"], plan.NodeIds.ToArray());
    }

    [Fact]
    public void Place_MoreThanFits_PlacesWhatFitsAndSaysWhy()
    {
        var plan = InstancePlacement.Place([Node("a", 1024)], App, 512, 3);

        Assert.Equal(["a", "a"], plan.NodeIds.ToArray());
        Assert.Equal(1, plan.Unplaced);
        Assert.Equal("no DEA node has 512 MB free (the most free is 0 MB on node a)", plan.Reason);
    }

    [Fact]
    public void Place_NoNodes_ExplainsThereIsNoDea()
    {
        var plan = InstancePlacement.Place([], App, 256, 2);

        Assert.Empty(plan.NodeIds);
        Assert.Equal(2, plan.Unplaced);
        Assert.Equal("no DEA node is available to run instances", plan.Reason);
    }

    [Fact]
    public void Place_OneNode_StacksAllInstancesThere()
    {
        var plan = InstancePlacement.Place([Node("micro", 16384)], App, 256, 5);

        Assert.Equal(Enumerable.Repeat("micro", 5), plan.NodeIds.ToArray());
    }

    [Fact]
    public void Place_OtherAppsInstances_DoNotCountAsThisAppsSpread()
    {
        var busyWithOther = new NodeCapacity("a", 4096, 0, 0, ImmutableDictionary<Guid, int>.Empty.Add(OtherApp, 3), DateTimeOffset.UnixEpoch);
        var plan = InstancePlacement.Place([busyWithOther, Node("b", 4096, 0, 0, ofApp: 1)], App, 256, 1);

        Assert.Equal(["a"], plan.NodeIds.ToArray());
    }

    [Fact]
    public void Place_ManyRandomClusters_NeverOverbooksAndAlwaysSpreads()
    {
        var random = new Random(42);
        for (var round = 0; round < 500; round++)
        {
            var nodes = Enumerable.Range(0, random.Next(1, 8))
                .Select(i => Node($"n{i}", random.Next(1, 9) * 512, random.Next(0, 4) * 256, random.Next(0, 5)))
                .Where(n => n.ReservedMemoryMb <= n.TotalMemoryMb)
                .ToList();
            var memory = random.Next(1, 5) * 128;
            var count = random.Next(1, 12);

            var plan = InstancePlacement.Place(nodes, App, memory, count);

            Assert.Equal(count, plan.NodeIds.Length + plan.Unplaced);
            foreach (var node in nodes)
            {
                var placedHere = plan.NodeIds.Count(id => id == node.NodeId);
                Assert.True(node.ReservedMemoryMb + placedHere * memory <= node.TotalMemoryMb, "a node was overbooked");
            }

            var perNode = nodes.Select(n => plan.NodeIds.Count(id => id == n.NodeId)).ToList();
            var roomy = nodes.Where(n => n.FreeMemoryMb >= count * memory).ToList();
            if (roomy.Count == nodes.Count && nodes.Count > 1)
            {
                // Every node could take them all: then no node gets two before each has one.
                Assert.True(perNode.Max() - perNode.Min() <= 1, "instances were not spread");
            }
        }
    }

    [Fact]
    public void Place_AppKnowsItsOwnInstances_StaleNodeReportsDoNotSkewTheSpread()
    {
        // A restart: node "a" still reports the 4 instances the app has just stopped.
        var nodes = new[] { Node("a", 4000, reserved: 1024, instances: 4, ofApp: 4), Node("b", 4000) };

        var stale = InstancePlacement.Place(nodes, App, 256, 4);
        var fresh = InstancePlacement.Place(nodes, App, 256, 4, new Dictionary<string, int>());

        Assert.Equal(["b", "b", "b", "b"], stale.NodeIds.ToArray());
        Assert.Equal(2, fresh.NodeIds.Count(n => n == "a"));
        Assert.Equal(2, fresh.NodeIds.Count(n => n == "b"));
    }
}
