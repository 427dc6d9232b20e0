using Orleans.Placement;
using Orleans.Runtime;
using Orleans.Runtime.MembershipService.SiloMetadata;
using Orleans.Runtime.Placement;

namespace Granary.Cluster;

/// <summary>Places a grain keyed by node id on the silo whose metadata names that node (a DEA drives its own VM).</summary>
[GenerateSerializer, Immutable, Alias("granary.node-pinned-placement")]
public sealed class NodePinnedPlacement : PlacementStrategy;

[AttributeUsage(AttributeTargets.Class)]
public sealed class NodePinnedPlacementAttribute() : PlacementAttribute(new NodePinnedPlacement());

public sealed class NodePinnedPlacementDirector(ISiloMetadataCache metadata) : IPlacementDirector
{
    public Task<SiloAddress> OnAddActivation(PlacementStrategy strategy, PlacementTarget target, IPlacementContext context)
    {
        var nodeId = target.GrainIdentity.Key.ToString();
        var silo = context.GetCompatibleSilos(target)
            .FirstOrDefault(s => metadata.GetSiloMetadata(s).Metadata.GetValueOrDefault(SiloRoles.NodeKey) == nodeId);
        // No silo for that node (it left the cluster): fail the call rather than run a DEA somewhere it does not belong.
        return silo is not null
            ? Task.FromResult(silo)
            : Task.FromException<SiloAddress>(new NodeUnavailableException($"node '{nodeId}' has no running silo"));
    }
}

[GenerateSerializer, Alias("granary.node-unavailable")]
public sealed class NodeUnavailableException(string message) : Exception(message);
