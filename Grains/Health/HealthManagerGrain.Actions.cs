using Granary.Apps;
using Granary.Nodes;
using Microsoft.Extensions.Logging;

namespace Granary.Health;

public sealed partial class HealthManagerGrain
{
    /// <summary>Carries out one decision. Failures are logged and retried by a later pass, never thrown.</summary>
    private async Task CarryOutAsync(HealthAction action)
    {
        LogAction(action.Kind, action.AppId, action.Index, action.NodeId, action.Reason);
        HealthTelemetry.Actions.Add(1, new KeyValuePair<string, object?>("kind", action.Kind.ToString()));
        try
        {
            var app = GrainFactory.GetGrain<IAppGrain>(action.AppId);
            switch (action.Kind)
            {
                case HealthActionKind.RestartCrashed:
                    HealthTelemetry.Restarts.Add(1, new KeyValuePair<string, object?>("cause", "crash"));
                    Remember(await app.RestartCrashed(action.InstanceId!.Value, action.Reason));
                    break;
                case HealthActionKind.ReplaceLost:
                    HealthTelemetry.Restarts.Add(1, new KeyValuePair<string, object?>("cause", "lost"));
                    // Placement must not pick the lost node while its last capacity report is still fresh.
                    await GrainFactory.GetGrain<INodeRegistryGrain>(NodeRegistryGrain.Key).Forget(action.NodeId);
                    Remember(await app.ReplaceLost(action.InstanceId!.Value, action.Reason));
                    break;
                case HealthActionKind.StartMissing:
                    Remember(await app.StartMissing(action.Reason));
                    break;
                case HealthActionKind.Evacuate:
                    Remember(await app.Evacuate(action.InstanceId!.Value, action.Reason));
                    break;
                case HealthActionKind.StopEvacuated:
                    Remember(await app.StopEvacuated(action.InstanceId!.Value, action.Reason));
                    break;
                case HealthActionKind.StopStray:
                    await GrainFactory.GetGrain<IDeaNodeGrain>(action.NodeId).Stop(action.InstanceId!.Value, action.Reason);
                    break;
                case HealthActionKind.FenceNode:
                    await FenceAsync(action);
                    return;
            }
        }
        catch (AppNotFoundException)
        {
            _apps[action.AppId] = AppHealthView.Gone(action.AppId, long.MaxValue);
        }
        catch (Exception e)
        {
            LogActionFailed(action.Kind, action.AppId, action.Index, e.Message);
        }
    }

    /// <summary>
    /// Membership alone takes many probes to give up on a frozen silo (no refused connection, just silence), and
    /// until then new grains whose directory range it owns cannot register: the replacements wait. The heartbeats
    /// already say the node is gone, and its instances are being replaced, so the silo is declared dead now.
    /// Never this manager's own silo: a manager that hears nothing from its own node would be cut off from the
    /// stream, not watching a dead node.
    /// </summary>
    private async Task FenceAsync(HealthAction action)
    {
        if (!_heartbeats.TryGetValue(action.NodeId, out var heartbeat)
            || SiloAddress.FromParsableString(heartbeat.SiloAddress) is not { } silo
            || silo.Equals(localSilo.SiloAddress)
            || membership.CurrentSnapshot.GetSiloStatus(silo) is SiloStatus.Dead or SiloStatus.None)
        {
            return;
        }

        var evicted = await membership.TryKill(silo);
        LogFenced(action.NodeId, silo.ToString(), evicted, action.Reason);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Health: node {NodeId} (silo {Silo}) declared dead: {Evicted}; {Reason}")]
    private partial void LogFenced(string nodeId, string silo, bool evicted, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Health: {Kind} app {AppId} instance {Index} (node {NodeId}): {Reason}")]
    private partial void LogAction(HealthActionKind kind, Guid appId, int index, string nodeId, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Health: {Kind} of app {AppId} instance {Index} failed, will retry: {Reason}")]
    private partial void LogActionFailed(HealthActionKind kind, Guid appId, int index, string reason);
}
