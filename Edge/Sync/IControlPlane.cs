using Granary.Routes;

namespace Granary.Edge.Sync;

/// <summary>What the edge hears from its connection: route table versions and connectivity coming back.</summary>
public interface IControlPlaneEvents : IRouteTableObserver
{
    /// <summary>The connection recovered by itself: observers were lost with it, so re-subscribe and pull.</summary>
    void OnConnectionRecovered();
}

/// <summary>The control plane as the sync loop sees it. Tests substitute a fake; the edge uses Orleans.</summary>
public interface IControlPlane
{
    /// <summary>One connection attempt; throws if the control plane cannot be reached (the caller retries).</summary>
    Task<IControlPlaneSession> ConnectAsync(IControlPlaneEvents events, CancellationToken cancellation);
}

/// <summary>One connection's worth: the route table grain and an observer reference valid for this connection.</summary>
public interface IControlPlaneSession : IAsyncDisposable
{
    IRouteTableGrain RouteTable { get; }

    /// <summary>The events object as the control plane can call it back (an Orleans object reference).</summary>
    IRouteTableObserver Observer { get; }

    /// <summary>Cancelled once the connection is known to be lost; the loop then connects afresh.</summary>
    CancellationToken Lost { get; }
}
