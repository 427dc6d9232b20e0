using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Orleans.Storage;

namespace Granary.Routes;

/// <summary>
/// The route table grain: stored in shards so a reactivation never serves edges an empty table and a change
/// writes one shard, not the whole table; a host index answers conflict checks and lookups; an in-memory change
/// log serves deltas (lost on reactivation: edges then get one full snapshot).
/// </summary>
[CollectionAgeLimit(Days = 7)]
public sealed partial class RouteTableGrain(
    [FromKeyedServices(GrainStorage.Name)] IGrainStorage storage,
    TimeProvider time,
    ILogger<RouteTableGrain> logger) : Grain, IRouteTableGrain
{
    public const string Key = "cluster";

    /// <summary>An edge that has not re-subscribed for this long is forgotten.</summary>
    public static readonly TimeSpan SubscriptionLifetime = TimeSpan.FromSeconds(90);

    private readonly List<(long Version, Guid AppId)> _log = [];
    private readonly Dictionary<IRouteTableObserver, DateTimeOffset> _observers = [];
    private RouteTableState _table = new();
    private HostIndex _hosts = new();
    private RouteTableStore _store = null!; // needs the grain id: made first thing on activation

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var started = time.GetTimestamp();
        _store = new RouteTableStore(storage, this.GetGrainId());
        var loaded = await _store.LoadAsync(cancellationToken);
        _table = new RouteTableState { Version = loaded.Version, Epoch = loaded.Epoch, Apps = loaded.Apps.ToDictionary(a => a.AppId) };
        _hosts = HostIndex.Of(_table.Apps.Values);
        if (loaded.Migrated > 0)
        {
            LogMigrated(loaded.Migrated, RouteShards.Count);
        }

        if (loaded.StaleLegacy)
        {
            LogStaleLegacy(RouteShards.LegacyStateName);
        }

        if (_table.Epoch == 0)
        {
            // A table without an epoch is new, or its state was lost: either way a history edges have not seen.
            _table.Epoch = Random.Shared.NextInt64(1, long.MaxValue);
            try
            {
                await _store.WriteHeaderAsync(_table.Epoch);
            }
            catch (Exception e)
            {
                // Storage down: serve the table anyway; the epoch is written before the next change, and until then
                // a reactivation only costs edges one whole reload.
                LogEpochNotStored(e.Message);
            }
        }

        LogLoaded(_table.Apps.Count, RouteShards.Count, _table.Version, (long)time.GetElapsedTime(started).TotalMilliseconds);
        await base.OnActivateAsync(cancellationToken);
    }

    public async Task<long> SetApp(AppRoutes routes)
    {
        routes = routes with { Hosts = [.. routes.Hosts.Select(RouteTable.Normalize).Distinct()] };
        if (RouteTable.Conflict(_table, _hosts, routes.AppId, routes.Hosts) is { } conflict)
        {
            throw new RouteTakenException(RouteTable.TakenMessage(conflict.Host, conflict.Holder));
        }

        var current = _table.Apps.GetValueOrDefault(routes.AppId);
        if (current is not null && RouteTable.Same(current, routes))
        {
            return _table.Version;
        }

        return await CommitAsync(routes.AppId, current, routes);
    }

    public async Task<long> RemoveApp(Guid appId) =>
        _table.Apps.TryGetValue(appId, out var current) ? await CommitAsync(appId, current, null) : _table.Version;

    public Task<Guid?> FindHost(string host) => Task.FromResult(_hosts.Find(RouteTable.Normalize(host)));

    public Task<RouteTableChanges> GetChangesSince(long version) =>
        Task.FromResult(RouteTable.ChangesSince(_table, _log, version));

    public Task Subscribe(IRouteTableObserver observer)
    {
        _observers[observer] = time.GetUtcNow();
        return Task.CompletedTask;
    }

    public Task Unsubscribe(IRouteTableObserver observer)
    {
        _observers.Remove(observer);
        return Task.CompletedTask;
    }

    /// <summary>Stores one app's change (<paramref name="after"/> null: removed), then applies it to what is served.</summary>
    private async Task<long> CommitAsync(Guid appId, AppRoutes? before, AppRoutes? after)
    {
        var version = _table.Version + 1;
        var started = time.GetTimestamp();
        try
        {
            if (!_store.HeaderStored)
            {
                await _store.WriteHeaderAsync(_table.Epoch);
            }

            await _store.SaveAsync(version, appId, after);
            RouteTableTelemetry.WriteDuration.Record(time.GetElapsedTime(started).TotalMilliseconds, Outcome("stored"));
        }
        catch (Exception e)
        {
            RouteTableTelemetry.WriteDuration.Record(time.GetElapsedTime(started).TotalMilliseconds, Outcome("failed"));
            // Nothing below has run: the table served is as before the change, and the caller is told it failed.
            // Whether the write reached storage anyway (a timeout after the commit) is unknown, so this activation
            // goes: the next one serves what storage holds, and edges, finding its log empty, reload it whole.
            LogWriteFailed(appId, e.Message);
            DeactivateOnIdle();
            throw;
        }

        if (after is null)
        {
            _table.Apps.Remove(appId);
        }
        else
        {
            _table.Apps[appId] = after;
        }

        _hosts.Replace(before, after);
        _table.Version = version;
        _log.Add((version, appId));
        if (_log.Count > RouteTable.ChangeLogSize)
        {
            _log.RemoveRange(0, _log.Count - RouteTable.ChangeLogSize);
        }

        Notify(version);
        return version;
    }

    private static KeyValuePair<string, object?> Outcome(string outcome) => new("outcome", outcome);

    private void Notify(long version)
    {
        var expired = time.GetUtcNow() - SubscriptionLifetime;
        foreach (var (observer, seen) in _observers.ToList())
        {
            if (seen < expired)
            {
                _observers.Remove(observer);
                continue;
            }

            try
            {
                observer.OnRouteTableChanged(version);
            }
            catch (Exception e)
            {
                // A gone edge: it re-subscribes when it comes back, and pulls on its own timer meanwhile.
                _observers.Remove(observer);
                LogNotifyFailed(e.Message);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Route table loaded: {Apps} apps from {Shards} shards, version {Version}, in {ElapsedMs} ms")]
    private partial void LogLoaded(int apps, int shards, long version, long elapsedMs);

    [LoggerMessage(Level = LogLevel.Information, Message = "Moved {Apps} apps from the single route-table record into {Shards} shards")]
    private partial void LogMigrated(int apps, int shards);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The single route-table record '{StateName}' is older than the shards and was ignored (an older silo wrote it after the move?)")]
    private partial void LogStaleLegacy(string stateName);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The route table's new epoch could not be stored yet: {Reason}")]
    private partial void LogEpochNotStored(string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A route change of app {AppId} could not be stored ({Reason}); reloading the table from storage")]
    private partial void LogWriteFailed(Guid appId, string reason);

    [LoggerMessage(Level = LogLevel.Debug, Message = "An edge could not be told of a route change: {Reason}")]
    private partial void LogNotifyFailed(string reason);
}
