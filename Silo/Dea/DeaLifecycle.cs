using Granary.Nodes;
using Granary.Silo.Hosting;

namespace Granary.Silo.Dea;

/// <summary>
/// Announces this node's DEA once the silo runs (retrying until the cluster answers), and on
/// shutdown stops every instance before the silo goes, so no process outlives its node.
/// </summary>
public sealed partial class DeaLifecycle(
    IGrainFactory grains,
    NodeSettings node,
    ProcessInstanceRuntime runtime,
    NodeReadiness readiness,
    ILogger<DeaLifecycle> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!node.Has(Granary.Cluster.SiloRoles.Dea))
        {
            readiness.Ready();
            return;
        }

        readiness.NotReady("the DEA is announcing itself");
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await grains.GetGrain<IDeaNodeGrain>(node.NodeId).Announce();
                readiness.Ready();
                return;
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                LogAnnounceFailed(node.NodeId, e.Message);
                await Task.Delay(TimeSpan.FromSeconds(1), stoppingToken);
            }
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        readiness.NotReady("the node is shutting down");
        await base.StopAsync(cancellationToken);
        try
        {
            // Tell placement first, so the instances stopped below are not placed right back here.
            await grains.GetGrain<IDeaNodeGrain>(node.NodeId).Drain();
        }
        catch (Exception e)
        {
            LogDrainFailed(node.NodeId, e.Message);
            runtime.BeginDrain();
        }

        var count = runtime.Instances.Count;
        await runtime.StopAllAsync();
        LogStoppedAll(node.NodeId, count);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "DEA {NodeId} could not announce itself yet: {Reason}")]
    private partial void LogAnnounceFailed(string nodeId, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "DEA {NodeId} could not announce that it is draining: {Reason}")]
    private partial void LogDrainFailed(string nodeId, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "DEA {NodeId} stopped its {Count} instance(s) for shutdown")]
    private partial void LogStoppedAll(string nodeId, int count);
}
