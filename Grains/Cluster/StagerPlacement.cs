using Orleans.Placement;
using Orleans.Runtime;
using Orleans.Runtime.MembershipService.SiloMetadata;
using Orleans.Runtime.Placement;

namespace Granary.Cluster;

/// <summary>Places a grain on a random silo that has the stager role.</summary>
[GenerateSerializer, Immutable, Alias("granary.stager-placement")]
public sealed class StagerPlacement : PlacementStrategy;

[AttributeUsage(AttributeTargets.Class)]
public sealed class StagerPlacementAttribute() : PlacementAttribute(new StagerPlacement());

public sealed class StagerPlacementDirector(ISiloMetadataCache metadata) : IPlacementDirector
{
    public Task<SiloAddress> OnAddActivation(PlacementStrategy strategy, PlacementTarget target, IPlacementContext context)
    {
        var stagers = context.GetCompatibleSilos(target)
            .Where(s => metadata.HasRole(s, SiloRoles.Stager))
            .ToArray();
        return stagers.Length > 0
            ? Task.FromResult(stagers[Random.Shared.Next(stagers.Length)])
            : Task.FromException<SiloAddress>(new NodeUnavailableException("no silo in the cluster has the stager role"));
    }
}
