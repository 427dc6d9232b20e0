using Microsoft.Extensions.DependencyInjection;
using Orleans.Hosting;
using Orleans.Runtime;

namespace Granary.Cluster;

public static class GranaryPlacement
{
    /// <summary>
    /// Granary's placement on a silo: DEA grains on their own node, stagers on stager silos, and everything
    /// else on controller silos (<see cref="ControlPlanePlacement"/> replaces Orleans' default).
    /// </summary>
    public static IServiceCollection AddGranaryPlacement(this IServiceCollection services)
    {
        services.AddPlacementDirector<NodePinnedPlacement, NodePinnedPlacementDirector>();
        services.AddPlacementDirector<StagerPlacement, StagerPlacementDirector>();
        services.AddPlacementDirector<ControlPlanePlacement, ControlPlanePlacementDirector>();
        services.AddSingleton<PlacementStrategy, ControlPlanePlacement>();
        return services;
    }

    /// <summary>
    /// Orleans' strongly consistent grain directory. When a silo dies, the survivors rebuild its directory ranges
    /// from their own activations; the older directory instead deactivated every grain whose entry the dead silo
    /// held, so a DEA node's death restarted the health manager and apps on healthy controllers and cost seconds.
    /// </summary>
    public static ISiloBuilder AddGranaryDirectory(this ISiloBuilder silo)
    {
#pragma warning disable ORLEANSEXP003 // experimental in Orleans 10; measured with real silos in bench/recovery
        return silo.AddDistributedGrainDirectory();
#pragma warning restore ORLEANSEXP003
    }
}
