using Granary.Health;
using Orleans.Hosting;

namespace Granary.Cluster;

public static class GranaryStreams
{
    /// <summary>
    /// The health streams (heartbeats, instance exits) on Orleans' memory stream provider, their queues pulled by
    /// controller silos only (<see cref="ControllerQueueBalancer"/>).
    /// </summary>
    public static ISiloBuilder AddGranaryStreams(this ISiloBuilder silo) =>
        silo.AddMemoryStreams(HealthStreams.Provider, streams => streams.ConfigurePartitionBalancing(ControllerQueueBalancer.Create));
}
