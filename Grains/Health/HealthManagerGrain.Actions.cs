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

    [LoggerMessage(Level = LogLevel.Information, Message = "Health: {Kind} app {AppId} instance {Index} (node {NodeId}): {Reason}")]
    private partial void LogAction(HealthActionKind kind, Guid appId, int index, string nodeId, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Health: {Kind} of app {AppId} instance {Index} failed, will retry: {Reason}")]
    private partial void LogActionFailed(HealthActionKind kind, Guid appId, int index, string reason);
}
