using System.Collections.Immutable;

namespace Granary.Nodes;

/// <summary>The cluster's list of DEA nodes and their last capacity reports; one grain, key "cluster".</summary>
public interface INodeRegistryGrain : IGrainWithStringKey
{
    /// <summary>Records a node's capacity report.</summary>
    Task Report(NodeCapacity capacity);

    /// <summary>Nodes that reported recently enough to take work.</summary>
    Task<ImmutableArray<NodeCapacity>> GetLiveNodes();

    /// <summary>Drops a node the health manager found lost; it is offered work again once it reports.</summary>
    Task Forget(string nodeId);
}
