using System.Collections.Immutable;
using Granary.Health;
using Orleans.Runtime;

namespace Granary.Nodes;

public sealed partial class DeaNodeGrain
{
    private IDisposable? _heartbeatTimer;

    private void StartHeartbeats() =>
        _heartbeatTimer ??= this.RegisterGrainTimer(PublishHeartbeatAsync,
            new GrainTimerCreationOptions(TimeSpan.Zero, healthOptions.Value.HeartbeatInterval) { KeepAlive = true });

    /// <summary>Says on <c>dea.heartbeat</c> that this node lives, what it holds, and every instance it runs.</summary>
    private async Task PublishHeartbeatAsync(CancellationToken cancellationToken)
    {
        var heartbeat = new DeaHeartbeat(this.GetPrimaryKeyString(), GrainContext.Address.SiloAddress!.ToParsableString(), Capacity(),
            runtime.IsDraining, runtime.Describe().ToImmutableArray(), time.GetUtcNow());
        try
        {
            await this.GetStreamProvider(HealthStreams.Provider)
                .GetStream<DeaHeartbeat>(StreamId.Create(HealthStreams.Heartbeat, HealthStreams.ClusterKey))
                .OnNextAsync(heartbeat);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Heartbeats repeat: the next one carries everything this one did.
            LogHeartbeatFailed(heartbeat.NodeId, e.Message);
        }
    }

    [Microsoft.Extensions.Logging.LoggerMessage(Level = Microsoft.Extensions.Logging.LogLevel.Warning,
        Message = "DEA {NodeId} could not publish its heartbeat: {Reason}")]
    private partial void LogHeartbeatFailed(string nodeId, string reason);
}
