using System.Collections.Immutable;

namespace Granary.Health;

/// <summary>What the health manager knows of one node: its latest heartbeat and what membership says.</summary>
public sealed record NodeObservation(
    string NodeId,
    DateTimeOffset? LastHeartbeatAt,
    bool Draining,
    ImmutableArray<HeartbeatInstance> Instances,
    bool DeclaredDead);

public enum NodeStatus
{
    Alive,
    Draining,
    /// <summary>Missed too many heartbeats (crashed, frozen or cut off).</summary>
    Missing,
    /// <summary>Orleans membership declared its silo dead.</summary>
    Dead,
}

/// <summary>Whether a node still runs its instances, as far as the health manager can tell (pure).</summary>
public static class NodeLiveness
{
    /// <param name="watchingSince">When the manager started listening: a node it never heard from is only
    /// missing once a full timeout has passed since then.</param>
    public static NodeStatus Of(NodeObservation node, DateTimeOffset now, DateTimeOffset watchingSince, HealthOptions options)
    {
        if (node.DeclaredDead)
        {
            return NodeStatus.Dead;
        }

        var heardAt = node.LastHeartbeatAt is { } last && last > watchingSince ? last : watchingSince;
        if (now - heardAt > options.NodeTimeout)
        {
            return NodeStatus.Missing;
        }

        return node.Draining ? NodeStatus.Draining : NodeStatus.Alive;
    }

    public static bool IsLost(NodeStatus status) => status is NodeStatus.Missing or NodeStatus.Dead;

    public static string Describe(NodeStatus status, string nodeId, HealthOptions options) => status switch
    {
        NodeStatus.Dead => $"node {nodeId} was declared dead by cluster membership",
        NodeStatus.Missing => $"node {nodeId} missed {options.MissedHeartbeats} heartbeats",
        NodeStatus.Draining => $"node {nodeId} is being evacuated",
        _ => $"node {nodeId} is alive",
    };
}
