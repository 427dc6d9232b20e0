using Granary.Nodes;

namespace Granary.Nodes;

/// <summary>
/// Runs instance processes on this node (implemented in the Silo). State changes are reported through
/// <see cref="IInstanceReportSink"/> as they happen, never returned from these calls.
/// </summary>
public interface IInstanceRuntime
{
    /// <summary>Memory this node offers to instances.</summary>
    int TotalMemoryMb { get; }

    /// <summary>True once the node is leaving: it takes no new instances.</summary>
    bool IsDraining { get; }

    /// <summary>Stops taking new instances (the node is shutting down or being evacuated).</summary>
    void BeginDrain();

    /// <summary>Instances whose processes are alive or being started or stopped here.</summary>
    IReadOnlyCollection<InstanceSpec> Instances { get; }

    /// <summary>Every instance here with its state and since when: what the heartbeat carries.</summary>
    IReadOnlyCollection<Granary.Health.HeartbeatInstance> Describe();

    /// <summary>Begins starting the instance and returns; STARTING → RUNNING/CRASHED arrive as reports.</summary>
    Task StartAsync(InstanceSpec spec);

    /// <summary>Begins stopping the instance and returns; STOPPING → STOPPED arrives as reports.</summary>
    Task StopAsync(Guid instanceId, string reason);

    /// <summary>CPU and memory of those of the instances that run here; none where the runtime cannot measure.</summary>
    Task<IReadOnlyList<InstanceStats>> StatsAsync(IReadOnlyCollection<Guid> instanceIds) =>
        Task.FromResult<IReadOnlyList<InstanceStats>>([]);

    /// <summary>Kills processes and removes directories that a previous run of this node left behind.</summary>
    Task ReapOrphansAsync(CancellationToken cancellationToken);
}

/// <summary>Where a runtime sends what happened to its instances.</summary>
public interface IInstanceReportSink
{
    Task ReportAsync(Granary.Instances.InstanceReport report);

    /// <summary>An instance's process ended (crash or stop): published on the <c>instance.exited</c> stream.</summary>
    Task ExitedAsync(Granary.Health.InstanceExit exit);
}
