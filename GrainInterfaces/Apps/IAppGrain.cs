using System.Collections.Immutable;
using Granary.Instances;
using Granary.Staging;
using Orleans.Concurrency;

namespace Granary.Apps;

/// <summary>An app's desired state, versioned; keyed by app id. It converges its instances onto nodes.</summary>
public interface IAppGrain : IGrainWithGuidKey
{
    /// <summary>Initializes a new app (called by its space once the name is reserved).</summary>
    Task<AppDetails> Initialize(string space, AppSpec spec);

    /// <summary>The app, or null if it does not exist (never created, or deleted).</summary>
    Task<AppDetails?> Get();

    /// <summary>Applies a partial update; scaling and start/stop take effect at once.</summary>
    Task<AppDetails> Update(AppUpdate update);

    /// <summary>Stops and starts every instance (new processes, same droplet).</summary>
    Task<AppDetails> Restart();

    /// <summary>Adds a host name the edge routes to this app. Throws RouteTakenException if another app has it.</summary>
    Task<AppDetails> MapRoute(string host);

    /// <summary>Removes a host name from this app.</summary>
    Task<AppDetails> UnmapRoute(string host);

    /// <summary>Stops every instance and deletes the app.</summary>
    Task Delete();

    /// <summary>Stages the package into a droplet; returns the build id. Output goes to the app's log.</summary>
    Task<string> StartBuild(string packageId);

    /// <summary>Stages the last package again.</summary>
    Task<string> Restage();

    /// <summary>Called by the stager when a build ends.</summary>
    [OneWay]
    Task OnStagingCompleted(StagingOutcome outcome);

    /// <summary>Called by an instance when its actual state changes (one-way: instances never wait on their app).</summary>
    [OneWay]
    Task OnInstanceChanged(InstanceInfo instance);

    /// <summary>The actual state of the app's current instances, by index.</summary>
    Task<ImmutableArray<InstanceInfo>> GetInstances();

    /// <summary>Adds a data-service event (bind, unbind) to the app's events; the data never holds credentials.</summary>
    Task RecordServiceEvent(string type, string message, ImmutableDictionary<string, string> data);

    /// <summary>The app's most recent events, newest last.</summary>
    Task<ImmutableArray<AppEvent>> GetEvents(int limit);

    /// <summary>The app's recent crashes, newest last: what <c>granary crashes</c> lists.</summary>
    Task<ImmutableArray<Granary.Health.CrashRecord>> GetCrashes();

    /// <summary>What the health manager decides from: wanted instances, placed slots, recent crashes.</summary>
    Task<Granary.Health.AppHealthView> GetHealthView();

    /// <summary>Adds a crash (with its last output lines) to the app's history; the health manager calls it on every exit.</summary>
    Task<Granary.Health.AppHealthView> RecordCrash(Granary.Health.InstanceExit exit);

    /// <summary>Health manager: the crashed instance's backoff is over; start its index again (a no-op if it is gone).</summary>
    Task<Granary.Health.AppHealthView> RestartCrashed(Guid instanceId, string reason);

    /// <summary>Health manager: the instance's node is lost or no longer runs it; start its index elsewhere.</summary>
    Task<Granary.Health.AppHealthView> ReplaceLost(Guid instanceId, string reason);

    /// <summary>Health manager: an index the app wants has no instance; place it.</summary>
    Task<Granary.Health.AppHealthView> StartMissing(string reason);

    /// <summary>Health manager: the instance's node is being evacuated; start a replacement elsewhere, keep this one until it runs.</summary>
    Task<Granary.Health.AppHealthView> Evacuate(Guid instanceId, string reason);

    /// <summary>Health manager: the evacuated instance's replacement runs; unroute and stop it.</summary>
    Task<Granary.Health.AppHealthView> StopEvacuated(Guid instanceId, string reason);
}
