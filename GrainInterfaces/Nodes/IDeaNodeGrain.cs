using System.Collections.Immutable;

namespace Granary.Nodes;

/// <summary>One DEA node, keyed by node id and always activated on that node's own silo.</summary>
public interface IDeaNodeGrain : IGrainWithStringKey
{
    /// <summary>Activates the node: reaps what a crashed predecessor left and announces capacity.</summary>
    Task Announce();

    /// <summary>Reserves memory and starts the instance; state changes arrive later as instance reports.</summary>
    /// <exception cref="InsufficientCapacityException">The node cannot fit the instance's memory.</exception>
    Task Start(InstanceSpec spec);

    /// <summary>Stops the instance: SIGTERM to its process group, SIGKILL after the grace period.</summary>
    Task Stop(Guid instanceId, string reason);

    /// <summary>The node is leaving: refuse new instances and advertise no free memory, so placement looks elsewhere.</summary>
    Task Drain();

    /// <summary>The node's current capacity and load.</summary>
    Task<NodeCapacity> GetCapacity();

    /// <summary>Ids of the instances whose processes this node is running.</summary>
    Task<ImmutableArray<Guid>> ListInstances();

    /// <summary>CPU and memory of those of the instances that run here (sampled for a moment: interleaves).</summary>
    [Orleans.Concurrency.AlwaysInterleave]
    Task<ImmutableArray<InstanceStats>> GetStats(ImmutableArray<Guid> instanceIds);
}

[GenerateSerializer, Alias("granary.insufficient-capacity")]
public sealed class InsufficientCapacityException(string message) : Exception(message);
