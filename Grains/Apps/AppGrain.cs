using System.Collections.Immutable;
using Granary.Apps;
using Granary.Instances;
using Granary.Logs;
using Granary.Staging;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Granary.Apps;

/// <summary>
/// An app's desired state, versioned. Every accepted change bumps the version, records an event and
/// converges the app's instances; the instances' actual state lives in their own grains.
/// </summary>
public sealed partial class AppGrain(
    [PersistentState("app", GrainStorage.Name)] IPersistentState<AppGrainState> state,
    IOptions<GranaryGrainOptions> options,
    IOptions<Granary.Health.HealthOptions> healthOptions,
    ILogEmitter logs,
    TimeProvider time,
    ILogger<AppGrain> logger) : Grain, IAppGrain
{
    private IDisposable? _stagingDeadline;

    private Guid Id => this.GetPrimaryKey();

    public async Task<AppDetails> Initialize(string space, AppSpec spec)
    {
        if (state.State.App is not null)
        {
            throw new InvalidOperationException($"app {Id} already exists");
        }

        EnsureValid(spec);
        var now = time.GetUtcNow();
        state.State.App = new AppDetails(Id, space, spec, 1, null, StagingStatus.NotStaged, now, now)
        {
            // Hostnames are unique cluster-wide: NoRoute (Cloud Foundry's no-route) lets an app whose NAME.DOMAIN is
            // taken, in another space or org, exist anyway, to be reached on the routes mapped to it.
            Routes = spec.NoRoute ? [] : [DefaultHost(spec.Name)],
        };
        try
        {
            await PublishRoutesAsync();
        }
        catch (Granary.Routes.RouteTakenException)
        {
            state.State.App = null;
            throw;
        }

        AddEvent(AppEventTypes.Created, $"app '{spec.Name}' created", ("instances", spec.Instances), ("memoryMb", spec.MemoryMb));
        await SaveAsync();
        return state.State.App;
    }

    public Task<AppDetails?> Get() => Task.FromResult(state.State.App);

    public async Task<AppDetails> Update(AppUpdate update)
    {
        var app = Existing();
        var spec = AppChanges.Apply(app.Spec, update);
        var policy = update.Policy ?? app.Policy;
        EnsureValid(spec);
        if (spec == app.Spec && policy == app.Policy)
        {
            return app;
        }

        // The default route follows a rename; an app whose default route was unmapped keeps its routes as they are.
        var routes = spec.Name != app.Spec.Name && app.Routes.Contains(DefaultHost(app.Spec.Name))
            ? app.Routes.Replace(DefaultHost(app.Spec.Name), DefaultHost(spec.Name))
            : app.Routes;
        if (spec.Name != app.Spec.Name)
        {
            await GrainFactory.GetGrain<ISpaceGrain>(app.Space).RenameApp(Id, app.Spec.Name, spec.Name);
        }

        state.State.App = app with { Spec = spec, Policy = policy, Routes = routes, Version = app.Version + 1, UpdatedAt = time.GetUtcNow() };
        try
        {
            await PublishRoutesOrRevertAsync(app);
        }
        catch (Granary.Routes.RouteTakenException) when (spec.Name != app.Spec.Name)
        {
            await GrainFactory.GetGrain<ISpaceGrain>(app.Space).RenameApp(Id, spec.Name, app.Spec.Name);
            throw;
        }

        foreach (var (type, message) in AppChanges.Describe(app.Spec, spec))
        {
            AddEvent(type, message);
        }

        if (policy != app.Policy)
        {
            var balancing = policy.LoadBalancing == Granary.Routes.LoadBalancing.LeastRequests ? "LEAST_REQUESTS" : "ROUND_ROBIN";
            AddEvent(AppEventTypes.Updated, $"routing changed: {balancing}, sticky sessions {(policy.StickySessions ? "on" : "off")}");
        }

        await ConvergeAsync();
        await SaveAsync();
        return state.State.App;
    }

    public async Task<AppDetails> Restart()
    {
        var app = Existing();
        await StopSlotsAsync(state.State.Slots.ToList(), "the app was restarted");
        AddEvent(AppEventTypes.Restarted, $"app '{app.Spec.Name}' restarted");
        await ConvergeAsync();
        await SaveAsync();
        return app;
    }

    public async Task Delete()
    {
        var app = Existing();
        await StopSlotsAsync(state.State.Slots.ToList(), "the app was deleted");
        await GrainFactory.GetGrain<ISpaceGrain>(app.Space).ReleaseApp(Id, app.Spec.Name);
        state.State.App = null;
        await PublishRoutesAsync();
        // The events stay, as a tombstone: "what happened to my app?" must have an answer after a delete.
        AddEvent(AppEventTypes.Deleted, $"app '{app.Spec.Name}' deleted");
        state.State.StagedPackageId = null;
        await SaveAsync();
        LogDeleted(Id, app.Spec.Name);
        DeactivateOnIdle();
    }

    public async Task<ImmutableArray<InstanceInfo>> GetInstances()
    {
        var infos = await Task.WhenAll(state.State.Slots.Select(s => GrainFactory.GetGrain<IInstanceGrain>(s.InstanceId).Get()));
        return infos.OfType<InstanceInfo>().Select(WithCrashStatus).OrderBy(i => i.Index).ToImmutableArray();
    }

    public Task<ImmutableArray<AppEvent>> GetEvents(int limit) =>
        Task.FromResult(state.State.Events.TakeLast(Math.Clamp(limit, 0, options.Value.EventsKept)).ToImmutableArray());

    public async Task OnInstanceChanged(InstanceInfo instance)
    {
        var slot = state.State.Slots.FirstOrDefault(s => s.InstanceId == instance.InstanceId);
        if (state.State.App is null || slot is null)
        {
            return; // an instance the app already let go of
        }

        _actual.TryGetValue(instance.InstanceId, out var before);
        _actual[instance.InstanceId] = instance;
        await PublishRoutesAsync();

        if (instance.State == InstanceState.Crashed)
        {
            var crash = RecordReportedCrash(instance, before);
            var next = crash.Flapping
                ? $"; crash {crash.Count} in a row, FLAPPING: restarting in {crash.Delay.TotalSeconds:0.#} s"
                : "";
            AddEvent(AppEventTypes.Crashed, $"instance {instance.Index} crashed: {instance.Message}{next}",
                ("index", instance.Index), ("exitCode", instance.LastExitCode?.ToString() ?? "none"), ("crashes", crash.Count));
            await SaveAsync();
        }
        else if (instance.State == InstanceState.Stopped)
        {
            // Stopped without the app asking (its node shut down): free the index so convergence refills it.
            state.State.Slots.Remove(slot);
            await ConvergeAsync();
            await SaveAsync();
        }
    }

    private AppDetails Existing() =>
        state.State.App ?? throw new AppNotFoundException($"app {Id} does not exist");

    private static void EnsureValid(AppSpec spec)
    {
        var errors = AppValidation.Validate(spec);
        if (errors.Count > 0)
        {
            throw new InvalidAppException(string.Join("; ", errors.SelectMany(e => e.Value)));
        }
    }

    private void AddEvent(string type, string message, params (string Key, object Value)[] data)
    {
        state.State.Events.Add(new AppEvent(time.GetUtcNow(), type, message,
            data.ToImmutableDictionary(d => d.Key, d => d.Value.ToString() ?? ""), Granary.Users.Actor.Current));
        // Like Cloud Foundry's [API] lines: what the platform did shows up where the app's output does.
        logs.Emit(Id, "API", LogStream.Out, message);
        var excess = state.State.Events.Count - options.Value.EventsKept;
        if (excess > 0)
        {
            state.State.Events.RemoveRange(0, excess);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "App {AppId} ({Name}) deleted")]
    private partial void LogDeleted(Guid appId, string name);
}
