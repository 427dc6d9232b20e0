using System.Diagnostics.Metrics;
using Granary.Telemetry;

namespace Granary.Health;

/// <summary>The health manager's metrics, on the Granary meter.</summary>
public static class HealthTelemetry
{
    public static readonly Counter<long> Actions = GranaryTelemetry.Meter.CreateCounter<long>(
        "granary.health.actions", description: "Health manager decisions carried out, by kind (restart_crashed, replace_lost, …)");

    public static readonly Counter<long> Restarts = GranaryTelemetry.Meter.CreateCounter<long>(
        "granary.health.restarts", description: "Instances started again after a crash or a lost node");

    public static readonly Histogram<double> ConvergeDuration = GranaryTelemetry.Meter.CreateHistogram<double>(
        "granary.health.converge.duration", unit: "ms", description: "One convergence pass: decide and carry out");

    public static readonly Histogram<double> HeartbeatLag = GranaryTelemetry.Meter.CreateHistogram<double>(
        "granary.health.heartbeat.lag", unit: "ms", description: "From a DEA sending its heartbeat to the health manager reading it");

    public static readonly UpDownCounter<long> StreamQueues = GranaryTelemetry.Meter.CreateUpDownCounter<long>(
        "granary.health.stream_queues", description: "Health stream queues this silo pulls (controllers only, unless none is active)");

    private static IReadOnlyDictionary<string, long> _instancesByState = new Dictionary<string, long>();

    static HealthTelemetry()
    {
        GranaryTelemetry.Meter.CreateObservableGauge("granary.instances",
            () => _instancesByState.Select(s => new Measurement<long>(s.Value, new KeyValuePair<string, object?>("state", s.Key))),
            description: "Instances by state across the cluster, as the health manager last saw them (FLAPPING included)");
    }

    /// <summary>Replaces what the instances gauge reports; called by the health manager after each pass.</summary>
    public static void SetInstancesByState(IReadOnlyDictionary<string, long> counts) => _instancesByState = counts;
}
