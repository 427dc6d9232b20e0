using System.Diagnostics.Metrics;
using Granary.Telemetry;

namespace Granary.Routes;

/// <summary>The route table grain's metrics, on the Granary meter.</summary>
public static class RouteTableTelemetry
{
    /// <summary>Every route change waits for this write before edges hear of it, so it bounds route propagation.</summary>
    public static readonly Histogram<double> WriteDuration = GranaryTelemetry.Meter.CreateHistogram<double>(
        "granary.routes.write.duration", unit: "ms",
        description: "One route-table change written to storage (the shard of the app it touches), failed writes included");
}
