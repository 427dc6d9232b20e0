using System.Collections.Immutable;
using Granary.Health;
using Orleans.Runtime;

namespace Granary.Nodes;

public sealed partial class DeaNodeGrain
{
    private IGrainTimer? _heartbeatTimer;
    private TimeSpan _heartbeatPeriod;

    private void StartHeartbeats()
    {
        _heartbeatPeriod = healthOptions.CurrentValue.HeartbeatInterval;
        _heartbeatTimer ??= this.RegisterGrainTimer(PublishHeartbeatAsync,
            new GrainTimerCreationOptions(TimeSpan.Zero, _heartbeatPeriod) { KeepAlive = true });
    }

    /// <summary>Says on <c>dea.heartbeat</c> that this node lives, what it holds, and every instance it runs.</summary>
    private async Task PublishHeartbeatAsync(CancellationToken cancellationToken)
    {
        // Granary:Health:HeartbeatInterval may change while the node runs (granary config set): take it from the next beat on.
        if (healthOptions.CurrentValue.HeartbeatInterval is var wanted && wanted != _heartbeatPeriod)
        {
            _heartbeatPeriod = wanted;
            _heartbeatTimer?.Change(wanted, wanted);
        }

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
