using System.Collections.Immutable;
using Granary.Apps;
using Granary.Health;
using Granary.Instances;

namespace Granary.Apps;

/// <summary>The app's side of health management: its view for the health manager, and the actions it asks for.</summary>
public sealed partial class AppGrain
{
    private const int CrashesKept = 100;
    private long _viewVersion;

    public Task<ImmutableArray<CrashRecord>> GetCrashes() => Task.FromResult(state.State.Crashes.ToImmutableArray());

    public Task<AppHealthView> GetHealthView() => Task.FromResult(HealthView());

    public async Task<AppHealthView> RecordCrash(InstanceExit exit)
    {
        var known = state.State.Crashes.FindIndex(c => c.InstanceId == exit.InstanceId);
        var record = new CrashRecord(exit.Index, exit.InstanceId, exit.NodeId, exit.StartedAt, exit.ExitedAt, exit.ExitCode, exit.Reason, exit.LastLines);
        if (known >= 0)
        {
            // The instance's own report got here first: keep its times, add what only the exit carries.
            state.State.Crashes[known] = state.State.Crashes[known] with { ExitCode = exit.ExitCode ?? state.State.Crashes[known].ExitCode, LastLines = exit.LastLines };
        }
        else if (state.State.App is not null)
        {
            AddCrash(record);
        }

        await SaveAsync();
        return HealthView();
    }

    public async Task<AppHealthView> RestartCrashed(Guid instanceId, string reason)
    {
        if (state.State.App is null || FindSlot(instanceId) is not { } slot || StateOf(slot) != InstanceState.Crashed)
        {
            return HealthView(); // already restarted, or the app moved on
        }

        await ReleaseSlotAsync(slot, reason, crashedFirst: false);
        AddEvent(AppEventTypes.InstanceRestarted, $"instance {slot.Index} restarting: {reason}", ("index", slot.Index));
        await ConvergeAsync();
        await SaveAsync();
        return HealthView();
    }

    public async Task<AppHealthView> ReplaceLost(Guid instanceId, string reason)
    {
        if (state.State.App is null || FindSlot(instanceId) is not { } slot)
        {
            return HealthView();
        }

        await ReleaseSlotAsync(slot, reason, crashedFirst: true);
        AddEvent(AppEventTypes.InstanceLost, $"instance {slot.Index} lost: {reason}", ("index", slot.Index), ("node", slot.NodeId));
        await ConvergeAsync();
        await SaveAsync();
        return HealthView();
    }

    public async Task<AppHealthView> StartMissing(string reason)
    {
        if (state.State.App is null)
        {
            return HealthView();
        }

        var before = state.State.Slots.Select(s => s.Index).ToHashSet();
        await ConvergeAsync();
        foreach (var started in state.State.Slots.Where(s => !before.Contains(s.Index)))
        {
            AddEvent(AppEventTypes.InstanceStarted, $"instance {started.Index} starting on node {started.NodeId}: {reason}", ("index", started.Index));
        }

        await SaveAsync();
        return HealthView();
    }

    public async Task<AppHealthView> Evacuate(Guid instanceId, string reason)
    {
        if (state.State.App is null || FindSlot(instanceId) is not { Evacuating: false } slot)
        {
            return HealthView();
        }

        state.State.Slots[state.State.Slots.IndexOf(slot)] = slot with { Evacuating = true };
        AddEvent(AppEventTypes.InstanceEvacuating, $"instance {slot.Index} evacuating: {reason}", ("index", slot.Index), ("node", slot.NodeId));
        await ConvergeAsync();
        await SaveAsync();
        return HealthView();
    }

    public async Task<AppHealthView> StopEvacuated(Guid instanceId, string reason)
    {
        if (state.State.App is null || FindSlot(instanceId) is not { Evacuating: true } slot)
        {
            return HealthView();
        }

        await StopSlotsAsync([slot], $"evacuated: {reason}");
        AddEvent(AppEventTypes.InstanceEvacuated, $"instance {slot.Index} left node {slot.NodeId}: {reason}", ("index", slot.Index), ("node", slot.NodeId));
        await SaveAsync();
        return HealthView();
    }

    /// <summary>Writes the state and tells the health manager what changed.</summary>
    private async Task SaveAsync()
    {
        await state.WriteStateAsync();
        GrainFactory.GetGrain<IHealthManagerGrain>(HealthStreams.ClusterKey).OnAppChanged(HealthView()).Ignore();
    }

    private AppHealthView HealthView()
    {
        // Versions order the views the manager receives; ticks keep them rising across activations.
        _viewVersion = Math.Max(_viewVersion + 1, time.GetUtcNow().UtcTicks);
        var app = state.State.App;
        if (app is null)
        {
            return AppHealthView.Gone(Id, _viewVersion);
        }

        var wanted = app.Spec.State == AppState.Started && app.Droplet is not null ? app.Spec.Instances : 0;
        var now = time.GetUtcNow();
        var slots = state.State.Slots.Select(s => _actual.TryGetValue(s.InstanceId, out var actual)
                ? new SlotView(s.Index, s.InstanceId, s.NodeId, actual.State, actual.Since, s.Evacuating)
                : new SlotView(s.Index, s.InstanceId, s.NodeId, InstanceState.Starting, now, s.Evacuating))
            .ToImmutableArray();
        return new AppHealthView(Id, app.Spec.Name, _viewVersion, wanted, slots, [.. state.State.Crashes], false);
    }

    /// <summary>Records a crash from the instance's own report, once per instance; the exit event adds its last lines.</summary>
    private CrashStatus RecordReportedCrash(InstanceInfo crashed, InstanceInfo? before)
    {
        if (!state.State.Crashes.Any(c => c.InstanceId == crashed.InstanceId))
        {
            var startedAt = before is { State: InstanceState.Running } ? before.Since : crashed.Since;
            AddCrash(new CrashRecord(crashed.Index, crashed.InstanceId, crashed.NodeId, startedAt, crashed.Since,
                crashed.LastExitCode, crashed.Message ?? "crashed", []));
        }

        return CrashPolicy.Evaluate(state.State.Crashes.Where(c => c.Index == crashed.Index), healthOptions.Value.Crashes);
    }

    private void AddCrash(CrashRecord record)
    {
        state.State.Crashes.Add(record);
        if (state.State.Crashes.Count > CrashesKept)
        {
            state.State.Crashes.RemoveRange(0, state.State.Crashes.Count - CrashesKept);
        }
    }

    /// <summary>A crashed instance carries where it stands in the crash policy, so users see FLAPPING and when it restarts.</summary>
    private InstanceInfo WithCrashStatus(InstanceInfo instance)
    {
        if (instance.State != InstanceState.Crashed)
        {
            return instance;
        }

        var crash = CrashPolicy.Evaluate(state.State.Crashes.Where(c => c.Index == instance.Index), healthOptions.Value.Crashes);
        return instance with { CrashesInARow = crash.Count, NextRestartAt = crash.RestartAt, Flapping = crash.Flapping };
    }

    private InstanceSlot? FindSlot(Guid instanceId) => state.State.Slots.FirstOrDefault(s => s.InstanceId == instanceId);

    private InstanceState? StateOf(InstanceSlot slot) => _actual.TryGetValue(slot.InstanceId, out var actual) ? actual.State : null;

    /// <summary>Lets go of an instance whose process is gone (crashed, or on a lost node), recording it as stopped.</summary>
    private async Task ReleaseSlotAsync(InstanceSlot slot, string reason, bool crashedFirst)
    {
        state.State.Slots.Remove(slot);
        _actual.Remove(slot.InstanceId);
        await PublishRoutesAsync();
        try
        {
            var instance = GrainFactory.GetGrain<IInstanceGrain>(slot.InstanceId);
            if (crashedFirst)
            {
                await instance.Report(new InstanceReport(slot.InstanceId, InstanceState.Crashed, null, null, null, reason));
            }

            await instance.Report(new InstanceReport(slot.InstanceId, InstanceState.Stopped, null, null, null, reason));
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Its record may have lived on the lost silo; the slot is released either way.
            LogReleaseFailed(Id, slot.InstanceId, e.Message);
        }
    }

    [Microsoft.Extensions.Logging.LoggerMessage(Level = Microsoft.Extensions.Logging.LogLevel.Warning,
        Message = "App {AppId}: could not record instance {InstanceId} as stopped: {Reason}")]
    private partial void LogReleaseFailed(Guid appId, Guid instanceId, string reason);
}
