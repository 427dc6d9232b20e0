using System.Collections.Immutable;
using System.Diagnostics;
using Granary.Apps;
using Granary.Instances;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Streams;
using Orleans.Streams.Core;

namespace Granary.Health;

/// <summary>
/// The cluster's health manager. One per cluster, on purpose: node loss and duplicates are decisions
/// across apps and nodes, and one view of both keeps them consistent without coordination. Its state is
/// volatile and rebuilt from what repeats: heartbeats every interval, and the apps' views (pushed on every
/// change and swept on a timer), so losing the activation or a stream message costs one interval.
/// </summary>
[ImplicitStreamSubscription(HealthStreams.Heartbeat)]
[ImplicitStreamSubscription(HealthStreams.InstanceExited)]
public sealed partial class HealthManagerGrain(
    IOptionsMonitor<HealthOptions> options,
    IClusterMembershipService membership,
    ILocalSiloDetails localSilo,
    TimeProvider time,
    ILogger<HealthManagerGrain> logger) : Grain, IHealthManagerGrain, IStreamSubscriptionObserver
{
    private readonly Dictionary<string, DeaHeartbeat> _heartbeats = new(StringComparer.Ordinal);
    private readonly Dictionary<Guid, AppHealthView> _apps = [];
    private readonly Dictionary<string, DateTimeOffset> _lastActions = new(StringComparer.Ordinal);
    private DateTimeOffset _watchingSince;
    private DateTimeOffset _lastSweep = DateTimeOffset.MinValue;
    private bool _knowsEveryApp;

    // Live: the heartbeat interval and missed-heartbeat count can change through the cluster config.
    private HealthOptions Options => options.CurrentValue;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _watchingSince = time.GetUtcNow();
        this.RegisterGrainTimer(TickAsync, new GrainTimerCreationOptions(TimeSpan.Zero, Options.ConvergeInterval) { KeepAlive = true });
        LogActivated(Options.HeartbeatInterval, Options.MissedHeartbeats);
        return Task.CompletedTask;
    }

    public async Task OnSubscribed(IStreamSubscriptionHandleFactory handleFactory)
    {
        if (handleFactory.StreamId.GetNamespace() == HealthStreams.Heartbeat)
        {
            await handleFactory.Create<DeaHeartbeat>().ResumeAsync((heartbeat, _) => OnHeartbeat(heartbeat));
        }
        else
        {
            await handleFactory.Create<InstanceExit>().ResumeAsync((exit, _) => OnExitAsync(exit));
        }
    }

    public Task OnAppChanged(AppHealthView view)
    {
        Remember(view);
        return Task.CompletedTask;
    }

    public Task<ImmutableArray<NodeHealth>> GetNodes()
    {
        var now = time.GetUtcNow();
        var dead = DeadSilos();
        return Task.FromResult(_heartbeats.Values.OrderBy(h => h.NodeId, StringComparer.Ordinal).Select(h =>
        {
            var status = NodeLiveness.Of(Observe(h, dead), now, _watchingSince, Options);
            return new NodeHealth(h.NodeId, status.ToString().ToUpperInvariant(), h.SentAt, h.Draining, h.Instances.Length,
                h.Capacity.TotalMemoryMb, h.Capacity.ReservedMemoryMb,
                status == NodeStatus.Alive ? null : NodeLiveness.Describe(status, h.NodeId, Options));
        }).ToImmutableArray());
    }

    public Task<int> Converge() => ConvergeAsync();

    private Task OnHeartbeat(DeaHeartbeat heartbeat)
    {
        HealthTelemetry.HeartbeatLag.Record(Math.Max(0, (time.GetUtcNow() - heartbeat.SentAt).TotalMilliseconds));
        if (!_heartbeats.TryGetValue(heartbeat.NodeId, out var known) || known.SentAt <= heartbeat.SentAt)
        {
            _heartbeats[heartbeat.NodeId] = heartbeat;
        }

        return Task.CompletedTask;
    }

    private async Task OnExitAsync(InstanceExit exit)
    {
        if (!exit.Crashed)
        {
            return;
        }

        LogCrash(exit.AppId, exit.Index, exit.NodeId, exit.ExitCode, exit.Reason);
        try
        {
            Remember(await GrainFactory.GetGrain<IAppGrain>(exit.AppId).RecordCrash(exit));
        }
        catch (AppNotFoundException)
        {
            return;
        }

        // A crash is acted on at once, not at the next tick: the restart target is "≤ 1 s plus start time".
        await ConvergeAsync();
    }

    private async Task TickAsync(CancellationToken cancellationToken)
    {
        if (time.GetUtcNow() - _lastSweep >= Options.SweepInterval)
        {
            await SweepAsync();
        }

        await ConvergeAsync();
    }

    /// <summary>Asks every app for its view: the first one after activation tells the manager which apps exist.</summary>
    private async Task SweepAsync()
    {
        _lastSweep = time.GetUtcNow();
        try
        {
            var orgs = await GrainFactory.GetGrain<Granary.Tenancy.ITenancyGrain>(Granary.Tenancy.ITenancyGrain.Key).ListOrgs();
            var spaces = orgs.SelectMany(o => o.Spaces).Select(s => s.Id);
            var ids = (await Task.WhenAll(spaces.Select(s => GrainFactory.GetGrain<ISpaceGrain>(s).ListApps()))).SelectMany(a => a).ToList();
            var views = await Task.WhenAll(ids.Select(id => GrainFactory.GetGrain<IAppGrain>(id).GetHealthView()));
            foreach (var view in views)
            {
                Remember(view);
            }

            var live = ids.ToHashSet();
            foreach (var gone in _apps.Keys.Where(id => !live.Contains(id)).ToList())
            {
                _apps[gone] = AppHealthView.Gone(gone, long.MaxValue);
            }

            _knowsEveryApp = true;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogSweepFailed(e.Message);
        }
    }

    private async Task<int> ConvergeAsync()
    {
        var started = Stopwatch.GetTimestamp();
        var now = time.GetUtcNow();
        var dead = DeadSilos();
        var inputs = new HealthInputs(_apps.Values.ToList(), _heartbeats.Values.Select(h => Observe(h, dead)).ToList(),
            now, _watchingSince, _knowsEveryApp, Options);
        var due = HealthDecision.Decide(inputs).Where(a => ActionThrottle.IsDue(_lastActions, a.Key, now, Options.ActionCooldown)).ToList();
        foreach (var action in due)
        {
            _lastActions[action.Key] = now;
        }

        ActionThrottle.Forget(_lastActions, now, Options.ActionCooldown);
        await Task.WhenAll(due.Select(CarryOutAsync));
        HealthTelemetry.SetInstancesByState(CountByState(now));
        HealthTelemetry.ConvergeDuration.Record(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        return due.Count;
    }

    private NodeObservation Observe(DeaHeartbeat heartbeat, IReadOnlySet<string> deadSilos) =>
        new(heartbeat.NodeId, heartbeat.SentAt, heartbeat.Draining, heartbeat.Instances, deadSilos.Contains(heartbeat.SiloAddress));

    /// <summary>Silos that membership declared dead, as their parsable addresses (what heartbeats carry).</summary>
    private IReadOnlySet<string> DeadSilos() =>
        membership.CurrentSnapshot.Members.Values
            .Where(m => m.Status == SiloStatus.Dead)
            .Select(m => m.SiloAddress.ToParsableString())
            .ToHashSet(StringComparer.Ordinal);

    private void Remember(AppHealthView view)
    {
        if (!_apps.TryGetValue(view.AppId, out var known) || known.Version <= view.Version)
        {
            _apps[view.AppId] = view;
        }
    }

    private Dictionary<string, long> CountByState(DateTimeOffset now)
    {
        var counts = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var app in _apps.Values.Where(a => !a.Deleted))
        {
            foreach (var slot in app.Slots)
            {
                var state = slot.State == InstanceState.Crashed
                    && CrashPolicy.Evaluate(app.Crashes.Where(c => c.Index == slot.Index), Options.Crashes) is { Flapping: true } crash
                    && crash.RestartAt > now
                    ? "FLAPPING"
                    : InstanceLifecycle.Name(slot.State);
                counts[state] = counts.GetValueOrDefault(state) + 1;
            }
        }

        return counts;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Health manager active: heartbeats every {Interval}, a node is lost after {Missed} missed")]
    private partial void LogActivated(TimeSpan interval, int missed);

    [LoggerMessage(Level = LogLevel.Information, Message = "Instance {Index} of app {AppId} on node {NodeId} crashed (exit code {ExitCode}): {Reason}")]
    private partial void LogCrash(Guid appId, int index, string nodeId, int? exitCode, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Health manager could not read the apps: {Reason}")]
    private partial void LogSweepFailed(string reason);
}
