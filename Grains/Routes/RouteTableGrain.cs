using Granary.Routes;
using Microsoft.Extensions.Logging;

namespace Granary.Routes;

/// <summary>
/// The route table grain: persisted so a reactivation never serves edges an empty table, with an
/// in-memory change log for deltas (lost on reactivation: edges then get one full snapshot).
/// </summary>
[CollectionAgeLimit(Days = 7)]
public sealed partial class RouteTableGrain(
    [PersistentState("routes", GrainStorage.Name)] IPersistentState<RouteTableState> state,
    TimeProvider time,
    ILogger<RouteTableGrain> logger) : Grain, IRouteTableGrain
{
    public const string Key = "cluster";

    /// <summary>An edge that has not re-subscribed for this long is forgotten.</summary>
    public static readonly TimeSpan SubscriptionLifetime = TimeSpan.FromSeconds(90);

    private readonly List<(long Version, Guid AppId)> _log = [];
    private readonly Dictionary<IRouteTableObserver, DateTimeOffset> _observers = [];

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (state.State.Epoch == 0)
        {
            // A table without an epoch is new, or its state was lost: either way a history edges have not seen.
            state.State.Epoch = Random.Shared.NextInt64(1, long.MaxValue);
            try
            {
                await state.WriteStateAsync(cancellationToken);
            }
            catch (Exception e)
            {
                // Storage down: serve the table anyway; the epoch is written with the next change, and until then
                // a reactivation only costs edges one whole reload.
                LogEpochNotStored(e.Message);
            }
        }

        await base.OnActivateAsync(cancellationToken);
    }

    public async Task<long> SetApp(AppRoutes routes)
    {
        routes = routes with { Hosts = [.. routes.Hosts.Select(RouteTable.Normalize).Distinct()] };
        if (RouteTable.Conflict(state.State, routes.AppId, routes.Hosts) is { } conflict)
        {
            throw new RouteTakenException($"the host {conflict.Host} is already mapped to app '{conflict.Holder.AppName}'");
        }

        if (state.State.Apps.TryGetValue(routes.AppId, out var current) && RouteTable.Same(current, routes))
        {
            return state.State.Version;
        }

        state.State.Apps[routes.AppId] = routes;
        return await CommitAsync(routes.AppId);
    }

    public async Task<long> RemoveApp(Guid appId) =>
        state.State.Apps.Remove(appId) ? await CommitAsync(appId) : state.State.Version;

    public Task<Guid?> FindHost(string host)
    {
        host = RouteTable.Normalize(host);
        return Task.FromResult(state.State.Apps.Values.FirstOrDefault(a => a.Hosts.Contains(host))?.AppId);
    }

    public Task<RouteTableChanges> GetChangesSince(long version) =>
        Task.FromResult(RouteTable.ChangesSince(state.State, _log, version));

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

    private async Task<long> CommitAsync(Guid appId)
    {
        state.State.Version++;
        _log.Add((state.State.Version, appId));
        if (_log.Count > RouteTable.ChangeLogSize)
        {
            _log.RemoveRange(0, _log.Count - RouteTable.ChangeLogSize);
        }

        await state.WriteStateAsync();
        Notify(state.State.Version);
        return state.State.Version;
    }

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


    [LoggerMessage(Level = LogLevel.Warning, Message = "The route table's new epoch could not be stored yet: {Reason}")]
    private partial void LogEpochNotStored(string reason);

    [LoggerMessage(Level = LogLevel.Debug, Message = "An edge could not be told of a route change: {Reason}")]
    private partial void LogNotifyFailed(string reason);
}
