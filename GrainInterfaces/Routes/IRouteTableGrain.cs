namespace Granary.Routes;

/// <summary>
/// The cluster's route table (what router.register built up in Cloud Foundry); one grain, key "cluster".
/// Every change bumps the version; edges are told and pull what changed.
/// </summary>
public interface IRouteTableGrain : IGrainWithStringKey
{
    /// <summary>Replaces an app's entry. Throws <see cref="RouteTakenException"/> if another app holds one of its hosts.</summary>
    Task<long> SetApp(AppRoutes routes);

    /// <summary>Removes an app's entry (deleted app). Returns the new version.</summary>
    Task<long> RemoveApp(Guid appId);

    /// <summary>The app holding this host name, if any.</summary>
    Task<Guid?> FindHost(string host);

    /// <summary>Changes after <paramref name="version"/>; a full snapshot when that version is 0 or too old.</summary>
    Task<RouteTableChanges> GetChangesSince(long version);

    /// <summary>Registers an edge to be told of new versions. Subscriptions expire: re-subscribe periodically.</summary>
    Task Subscribe(IRouteTableObserver observer);

    Task Unsubscribe(IRouteTableObserver observer);
}

/// <summary>An edge, told that the route table has a new version (it then pulls the changes).</summary>
public interface IRouteTableObserver : IGrainObserver
{
    void OnRouteTableChanged(long version);
}
