namespace Granary.Instances;

/// <summary>The actual state of one instance; keyed by instance id. Every change goes through the lifecycle function.</summary>
public interface IInstanceGrain : IGrainWithGuidKey
{
    /// <summary>Records a new instance placed on a node, in STARTING.</summary>
    Task<InstanceInfo> Assign(Guid appId, int index, string nodeId, string dropletHash);

    /// <summary>Applies a node's report. Returns false when the lifecycle refuses the move (the state is unchanged).</summary>
    Task<bool> Report(InstanceReport report);

    /// <summary>The current actual state, or null for an instance never assigned.</summary>
    Task<InstanceInfo?> Get();
}
