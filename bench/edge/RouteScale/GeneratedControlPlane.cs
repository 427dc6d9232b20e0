using Granary.Edge.Sync;
using Granary.Routes;

namespace Granary.Bench.RouteScale;

/// <summary>
/// The control plane as the edge's sync loop sees it, holding a generated table in memory: a full snapshot for
/// version 0, deltas (the apps changed since) otherwise, and notifications to the subscribed edge. It stands in
/// for the route table grain so that only the edge's own cost is measured.
/// </summary>
internal sealed class GeneratedControlPlane : IControlPlane, IRouteTableGrain
{
    private readonly Lock _gate = new();
    private readonly Dictionary<Guid, AppRoutes> _apps = [];
    private readonly List<(long Version, Guid AppId)> _log = [];
    private IRouteTableObserver? _observer;

    public long Version { get; private set; }

    public void Load(IEnumerable<AppRoutes> apps)
    {
        lock (_gate)
        {
            foreach (var app in apps)
            {
                _apps[app.AppId] = app;
            }

            Version++;
        }
    }

    /// <summary>Changes one app and tells the edge, as the grain does after a scale or a map-route.</summary>
    public void Change(AppRoutes app)
    {
        long version;
        lock (_gate)
        {
            _apps[app.AppId] = app;
            version = ++Version;
            _log.Add((version, app.AppId));
        }

        _observer?.OnRouteTableChanged(version);
    }

    public Task<IControlPlaneSession> ConnectAsync(IControlPlaneEvents events, CancellationToken cancellation) =>
        Task.FromResult<IControlPlaneSession>(new Session(this, events));

    public Task<RouteTableChanges> GetChangesSince(long version)
    {
        lock (_gate)
        {
            if (version == 0 || _log.Count == 0 || version < _log[0].Version - 1)
            {
                return Task.FromResult(new RouteTableChanges(Version, true, [.. _apps.Values], []));
            }

            var changed = _log.Where(e => e.Version > version).Select(e => _apps[e.AppId]).Distinct().ToArray();
            return Task.FromResult(new RouteTableChanges(Version, false, [.. changed], []));
        }
    }

    public Task Subscribe(IRouteTableObserver observer)
    {
        _observer = observer;
        return Task.CompletedTask;
    }

    public Task Unsubscribe(IRouteTableObserver observer) => Task.CompletedTask;

    public Task<long> SetApp(AppRoutes routes) => throw new NotSupportedException();

    public Task<long> RemoveApp(Guid appId) => throw new NotSupportedException();

    public Task<Guid?> FindHost(string host) => throw new NotSupportedException();

    private sealed class Session(IRouteTableGrain grain, IRouteTableObserver observer) : IControlPlaneSession
    {
        public IRouteTableGrain RouteTable => grain;

        public IRouteTableObserver Observer => observer;

        public CancellationToken Lost => CancellationToken.None;

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
