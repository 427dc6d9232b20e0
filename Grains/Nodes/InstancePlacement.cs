using System.Collections.Immutable;
using Granary.Nodes;

namespace Granary.Nodes;

/// <summary>Where each new instance goes; <see cref="Unplaced"/> counts those no node could take, with the reason.</summary>
public sealed record PlacementPlan(ImmutableArray<string> NodeIds, int Unplaced, string? Reason);

/// <summary>
/// Chooses nodes for new instances of one app (what dea.locate / dea.advertise did in Cloud Foundry).
/// Pure: the same capacity snapshot always gives the same answer.
/// </summary>
public static class InstancePlacement
{
    /// <summary>
    /// Places <paramref name="count"/> instances needing <paramref name="memoryMb"/> each. Memory must fit;
    /// among nodes that fit, the one running fewest instances of this app wins (spread), then the least
    /// loaded by reserved memory share, then by instance count; node id breaks ties.
    /// </summary>
    /// <param name="ownPerNode">The app's own count of its instances per node, when it knows better than the
    /// nodes' last reports (a restart stops every instance a moment before placing their replacements).</param>
    public static PlacementPlan Place(IReadOnlyList<NodeCapacity> nodes, Guid appId, int memoryMb, int count,
        IReadOnlyDictionary<string, int>? ownPerNode = null)
    {
        var load = nodes.Select(n => new NodeLoad(n.NodeId, n.TotalMemoryMb, n.ReservedMemoryMb, n.InstanceCount,
            ownPerNode is null ? n.InstancesPerApp.GetValueOrDefault(appId) : ownPerNode.GetValueOrDefault(n.NodeId))).ToList();
        var chosen = ImmutableArray.CreateBuilder<string>(count);

        for (var i = 0; i < count; i++)
        {
            var best = load
                .Where(n => n.Free >= memoryMb)
                .OrderBy(n => n.OfThisApp)
                .ThenBy(n => n.Share)
                .ThenBy(n => n.Instances)
                .ThenBy(n => n.NodeId, StringComparer.Ordinal)
                .FirstOrDefault();
            if (best is null)
            {
                return new PlacementPlan(chosen.ToImmutable(), count - i, NoRoom(load, memoryMb));
            }

            chosen.Add(best.NodeId);
            best.Take(memoryMb);
        }

        return new PlacementPlan(chosen.ToImmutable(), 0, null);
    }

    private static string NoRoom(List<NodeLoad> load, int memoryMb)
    {
        if (load.Count == 0)
        {
            return "no DEA node is available to run instances";
        }

        var roomiest = load.MaxBy(n => n.Free)!;
        return $"no DEA node has {memoryMb} MB free (the most free is {Math.Max(0, roomiest.Free)} MB on node {roomiest.NodeId})";
    }

    private sealed class NodeLoad(string nodeId, int total, int reserved, int instances, int ofThisApp)
    {
        public string NodeId { get; } = nodeId;
        public int Free => total - reserved;
        public double Share => total <= 0 ? 1 : (double)reserved / total;
        public int Instances => instances;
        public int OfThisApp => ofThisApp;

        public void Take(int memoryMb)
        {
            reserved += memoryMb;
            instances++;
            ofThisApp++;
        }
    }
}
