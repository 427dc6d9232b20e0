using Orleans.Placement;
using Orleans.Runtime;
using Orleans.Runtime.MembershipService.SiloMetadata;
using Orleans.Runtime.Placement;

namespace Granary.Cluster;

/// <summary>
/// The default placement of every grain that names no other: apps, instances, routes, the health manager,
/// Orleans' own stream pubsub. They belong on controller silos, as Cloud Foundry keeps its cloud controller
/// and health manager off the DEAs: a DEA-only node that dies then takes only its processes with it, and
/// its instances are replaced without first waiting for membership to release the grains that decide
/// the replacement.
/// </summary>
[GenerateSerializer, Immutable, Alias("granary.control-plane-placement")]
public sealed class ControlPlanePlacement : PlacementStrategy;

public sealed class ControlPlanePlacementDirector(ISiloMetadataCache metadata) : IPlacementDirector
{
    public Task<SiloAddress> OnAddActivation(PlacementStrategy strategy, PlacementTarget target, IPlacementContext context) =>
        Task.FromResult(ControlPlaneChoice.Choose(
            context.GetCompatibleSilos(target),
            context.LocalSilo,
            silo => metadata.HasRole(silo, SiloRoles.Controller),
            Random.Shared));
}

/// <summary>Which silo gets a control-plane activation (pure, apart from the random pick).</summary>
public static class ControlPlaneChoice
{
    /// <summary>
    /// The local silo when it is a controller (the API that asked runs there, so the call stays in process);
    /// otherwise a random controller; with no controller in the cluster at all, the local silo or a random
    /// one, so a cluster that lost its controllers keeps working on what is left.
    /// </summary>
    public static SiloAddress Choose(IReadOnlyList<SiloAddress> compatible, SiloAddress local, Func<SiloAddress, bool> isController, Random random)
    {
        if (compatible.Count == 0)
        {
            throw new NodeUnavailableException("no silo in the cluster can host this grain");
        }

        var controllers = compatible.Where(isController).ToArray();
        if (controllers.Contains(local))
        {
            return local;
        }

        if (controllers.Length > 0)
        {
            return controllers[random.Next(controllers.Length)];
        }

        return compatible.Contains(local) ? local : compatible[random.Next(compatible.Count)];
    }
}
