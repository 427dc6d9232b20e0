using Granary.Nodes;
using Granary.Silo.Hosting;
using Microsoft.Extensions.Options;

namespace Granary.Silo.Dea;

/// <summary>
/// Announces this node's DEA once the silo runs (retrying until the cluster answers). On shutdown it
/// drains: the health manager starts each instance elsewhere first and stops the old one once the new
/// one runs; what is left when no other node can take it (or the wait runs out) is stopped here, so no
/// process outlives its node.
/// </summary>
public sealed partial class DeaLifecycle(
    IGrainFactory grains,
    NodeSettings node,
    ProcessInstanceRuntime runtime,
    NodeReadiness readiness,
    Isolation.InstanceIsolation isolation,
    IOptions<DeaOptions> options,
    ILogger<DeaLifecycle> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!node.Has(Granary.Cluster.SiloRoles.Dea))
        {
            readiness.Ready();
            return;
        }

        LogIsolation();
        readiness.NotReady("the DEA is announcing itself");
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await grains.GetGrain<IDeaNodeGrain>(node.NodeId).Announce();
                readiness.Ready();
                await Task.Delay(ReannounceInterval, stoppingToken);
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                LogAnnounceFailed(node.NodeId, e.Message);
                await Task.Delay(TimeSpan.FromSeconds(1), stoppingToken);
            }
        }
    }

    /// <summary>
    /// Announcing again is cheap (an active DEA grain just reports its capacity) and necessary: when another silo
    /// dies, Orleans deactivates every grain whose directory entry lived there, this node's DEA grain included, and
    /// with it go its heartbeat and capacity timers. The next announce brings it back within this interval.
    /// </summary>
    private static readonly TimeSpan ReannounceInterval = TimeSpan.FromSeconds(2);

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        readiness.NotReady("the node is shutting down");
        await base.StopAsync(cancellationToken);
        try
        {
            // Tell placement and the health manager first: no new instances here, and evacuation begins.
            await grains.GetGrain<IDeaNodeGrain>(node.NodeId).Drain();
            await WaitForEvacuationAsync(cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogDrainFailed(node.NodeId, e.Message);
            runtime.BeginDrain();
        }

        var count = runtime.Instances.Count;
        await runtime.StopAllAsync();
        LogStoppedAll(node.NodeId, count);
    }

    /// <summary>Waits while instances are moving away, as long as another node could take them.</summary>
    private async Task WaitForEvacuationAsync(CancellationToken cancellationToken)
    {
        var deadline = DateTimeOffset.UtcNow + options.Value.EvacuationTimeout;
        var before = runtime.Instances.Count;
        while (runtime.Instances.Count > 0 && DateTimeOffset.UtcNow < deadline && !cancellationToken.IsCancellationRequested)
        {
            var others = await grains.GetGrain<INodeRegistryGrain>(NodeRegistryGrain.Key).GetLiveNodes();
            if (!others.Any(n => n.NodeId != node.NodeId && n.TotalMemoryMb - n.ReservedMemoryMb > 0))
            {
                break; // nowhere to go (a single-node cloud): stop them here
            }

            await Task.Delay(TimeSpan.FromMilliseconds(250), cancellationToken);
        }

        LogEvacuated(node.NodeId, before - runtime.Instances.Count, runtime.Instances.Count);
    }

    private void LogIsolation()
    {
        var level = isolation.Level;
        if (level.IsIsolated)
        {
            LogIsolated(node.NodeId, level.Description, isolation.CgroupParent);
            foreach (var note in isolation.Notes)
            {
                LogIsolationNote(node.NodeId, note);
            }
        }
        else if (isolation.Refusal is { } refusal)
        {
            LogRefusing(node.NodeId, refusal);
        }
        else
        {
            LogUnisolated(node.NodeId, string.Join("; ", level.Problems));
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "DEA {NodeId} isolates instances: {Description}; cgroups under {CgroupParent}")]
    private partial void LogIsolated(string nodeId, string description, string cgroupParent);

    [LoggerMessage(Level = LogLevel.Information, Message = "DEA {NodeId}: {Note}")]
    private partial void LogIsolationNote(string nodeId, string note);

    [LoggerMessage(Level = LogLevel.Error, Message = "DEA {NodeId} will start no instances: {Refusal}")]
    private partial void LogRefusing(string nodeId, string refusal);

    [LoggerMessage(Level = LogLevel.Warning, Message = "DEA {NodeId} runs instances UNISOLATED (Granary:Dea:AllowUnisolated), as the silo's user in the host's namespaces: {Problems}")]
    private partial void LogUnisolated(string nodeId, string problems);

    [LoggerMessage(Level = LogLevel.Warning, Message = "DEA {NodeId} could not announce itself yet: {Reason}")]
    private partial void LogAnnounceFailed(string nodeId, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "DEA {NodeId} could not drain through the cluster: {Reason}")]
    private partial void LogDrainFailed(string nodeId, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "DEA {NodeId}: {Moved} instance(s) moved to other nodes, {Left} left to stop here")]
    private partial void LogEvacuated(string nodeId, int moved, int left);

    [LoggerMessage(Level = LogLevel.Information, Message = "DEA {NodeId} stopped its {Count} instance(s) for shutdown")]
    private partial void LogStoppedAll(string nodeId, int count);
}
