using System.Diagnostics.Metrics;
using Granary.Telemetry;

namespace Granary.Services;

/// <summary>Data-service counters on Granary's meter. Tags are kinds and outcomes, never credentials.</summary>
public static class ServiceTelemetry
{
    public static readonly Counter<long> BrokerRequests =
        GranaryTelemetry.Meter.CreateCounter<long>("granary.services.broker_requests", description: "OSB requests sent to brokers, by kind and verdict");
    public static readonly Counter<long> OrphanCleanups =
        GranaryTelemetry.Meter.CreateCounter<long>("granary.services.orphan_cleanups", description: "Orphan-mitigation deletes sent, by outcome");
    public static readonly Counter<long> Bindings =
        GranaryTelemetry.Meter.CreateCounter<long>("granary.services.bindings", description: "Binds and unbinds");
}
