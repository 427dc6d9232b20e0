using Granary.Instances;
using Granary.Nodes;

namespace Granary.Instances;

/// <summary>Delivers a node runtime's reports to the instance grains.</summary>
public sealed class GrainInstanceReportSink(IGrainFactory grains) : IInstanceReportSink
{
    public Task ReportAsync(InstanceReport report) =>
        grains.GetGrain<IInstanceGrain>(report.InstanceId).Report(report);
}
