using Granary.Apps;
using Granary.Instances;
using Microsoft.Extensions.Logging;

namespace Granary.Instances;

[GenerateSerializer, Alias("granary.instance-state")]
public sealed class InstanceGrainState
{
    [Id(0)] public InstanceInfo? Info { get; set; }
}

public sealed partial class InstanceGrain(
    [PersistentState("instance", GrainStorage.Name)] IPersistentState<InstanceGrainState> state,
    TimeProvider time,
    ILogger<InstanceGrain> logger) : Grain, IInstanceGrain
{
    public async Task<InstanceInfo> Assign(Guid appId, int index, string nodeId, string dropletHash)
    {
        var check = InstanceLifecycle.Check(state.State.Info?.State, InstanceState.Starting);
        if (!check.Allowed)
        {
            throw new InvalidOperationException(check.RefusedBecause);
        }

        state.State.Info = new InstanceInfo(this.GetPrimaryKey(), appId, index, InstanceState.Starting, nodeId,
            null, null, time.GetUtcNow(), 0, null, null, dropletHash);
        await state.WriteStateAsync();
        return state.State.Info;
    }

    public async Task<bool> Report(InstanceReport report)
    {
        var current = state.State.Info;
        if (current is null)
        {
            // A node reporting on an instance the controller never assigned (or long forgot): nothing to update.
            LogUnknownInstance(report.InstanceId, report.State);
            return false;
        }

        var check = InstanceLifecycle.Check(current.State, report.State);
        if (!check.Allowed)
        {
            LogRefused(current.InstanceId, current.State, report.State, check.RefusedBecause!);
            return false;
        }

        state.State.Info = current with
        {
            State = report.State,
            Since = time.GetUtcNow(),
            Host = report.Host ?? current.Host,
            Port = report.Port ?? current.Port,
            LastExitCode = report.ExitCode ?? current.LastExitCode,
            Message = report.Message,
            Restarts = current.State == InstanceState.Crashed && report.State == InstanceState.Starting
                ? current.Restarts + 1
                : current.Restarts,
        };
        await state.WriteStateAsync();
        GrainFactory.GetGrain<IAppGrain>(current.AppId).OnInstanceChanged(state.State.Info).Ignore();
        return true;
    }

    public Task<InstanceInfo?> Get() => Task.FromResult(state.State.Info);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Report for unknown instance {InstanceId} ({State}) ignored")]
    private partial void LogUnknownInstance(Guid instanceId, InstanceState state);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Instance {InstanceId}: move {From} -> {To} refused: {Reason}")]
    private partial void LogRefused(Guid instanceId, InstanceState from, InstanceState to, string reason);
}
