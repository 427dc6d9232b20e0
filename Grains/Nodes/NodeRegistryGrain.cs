using System.Collections.Immutable;
using Granary.Nodes;

namespace Granary.Nodes;

/// <summary>
/// Holds each DEA's latest capacity report. Volatile on purpose: nodes report every few seconds,
/// so a fresh activation is complete again within one report interval.
/// </summary>
public sealed class NodeRegistryGrain(TimeProvider time) : Grain, INodeRegistryGrain
{
    public const string Key = "cluster";

    /// <summary>A node that has not reported for this long is not offered work.</summary>
    public static readonly TimeSpan Freshness = TimeSpan.FromSeconds(15);

    private readonly Dictionary<string, NodeCapacity> _nodes = new(StringComparer.Ordinal);

    public Task Report(NodeCapacity capacity)
    {
        _nodes[capacity.NodeId] = capacity with { ReportedAt = time.GetUtcNow() };
        return Task.CompletedTask;
    }

    public Task Forget(string nodeId)
    {
        _nodes.Remove(nodeId);
        return Task.CompletedTask;
    }

    public Task<ImmutableArray<NodeCapacity>> GetLiveNodes()
    {
        var cutoff = time.GetUtcNow() - Freshness;
        return Task.FromResult(_nodes.Values.Where(n => n.ReportedAt >= cutoff).OrderBy(n => n.NodeId).ToImmutableArray());
    }
}
