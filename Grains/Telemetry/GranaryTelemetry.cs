using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Granary.Telemetry;

/// <summary>The one meter and activity source every Granary component reports through.</summary>
public static class GranaryTelemetry
{
    public const string Name = "Granary";

    public static readonly ActivitySource ActivitySource = new(Name);
    public static readonly Meter Meter = new(Name);

    public static readonly Counter<long> InstancesStarted =
        Meter.CreateCounter<long>("granary.instances.started", description: "Instance processes started");
    public static readonly Counter<long> InstancesCrashed =
        Meter.CreateCounter<long>("granary.instances.crashed", description: "Instances that exited without being asked to");
    public static readonly Histogram<double> InstanceStartDuration =
        Meter.CreateHistogram<double>("granary.instances.start.duration", unit: "s", description: "From preparing the process (cgroup, sandbox) and spawning it to passing the health check");
    public static readonly Counter<long> InstancesOomKilled =
        Meter.CreateCounter<long>("granary.instances.oom_kills", description: "Instances that crashed because the kernel killed them at their memory limit");
    public static readonly Histogram<double> IsolationSetupDuration =
        Meter.CreateHistogram<double>("granary.instances.isolation.setup.duration", unit: "s",
            description: "Making an instance's cgroup, giving its files to its uid and building its sandbox");
    public static readonly Counter<long> StagingRuns =
        Meter.CreateCounter<long>("granary.staging.runs", description: "Builds run, by framework and outcome");
    public static readonly Histogram<double> StagingDuration =
        Meter.CreateHistogram<double>("granary.staging.duration", unit: "s", description: "Build time from package to stored droplet");
    public static readonly Counter<long> PlacementFailures =
        Meter.CreateCounter<long>("granary.placement.failures", description: "Instances no node could take");
}
