using Granary.Health;
using Granary.Instances;
using Granary.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Runtime;

namespace Granary.Instances;

/// <summary>Delivers a node runtime's reports to the instance grains, and its exits to the <c>instance.exited</c> stream.</summary>
public sealed class GrainInstanceReportSink(IGrainFactory grains, IServiceProvider services) : IInstanceReportSink
{
    public Task ReportAsync(InstanceReport report) =>
        grains.GetGrain<IInstanceGrain>(report.InstanceId).Report(report);

    public Task ExitedAsync(InstanceExit exit) =>
        // Resolved late: the silo's client is not ready when the runtime is constructed.
        services.GetRequiredService<IClusterClient>()
            .GetStreamProvider(HealthStreams.Provider)
            .GetStream<InstanceExit>(StreamId.Create(HealthStreams.InstanceExited, HealthStreams.ClusterKey))
            .OnNextAsync(exit);
}
