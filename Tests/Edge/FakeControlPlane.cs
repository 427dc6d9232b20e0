using System.Threading.Channels;
using Granary.Edge.Sync;
using Granary.Routes;
using RouteTable = Granary.Edge.Routing.RouteTable;

namespace Granary.Tests.Edge;

/// <summary>A route table grain in memory: full snapshots for 0 or a version it does not know, else deltas.</summary>
internal sealed class FakeRouteTableGrain : IRouteTableGrain
{
    private readonly object _gate = new();
    private readonly Dictionary<Guid, AppRoutes> _apps = [];
    private readonly List<(long Version, Guid AppId)> _log = [];
    private readonly List<IRouteTableObserver> _observers = [];

    public long Version { get; private set; }

    /// <summary>The table's history; <see cref="Reset"/> starts a new one, as a grain whose state was lost does.</summary>
    public long Epoch { get; private set; } = 1;

    /// <summary>When set, every call throws it (the control plane is down).</summary>
    public Exception? Failure { get; set; }

    public int Pulls;
    public int Subscribes;

    public int Observers
    {
        get
        {
            lock (_gate)
            {
                return _observers.Count;
            }
        }
    }

    /// <summary>Each answered pull, in order: the version asked for.</summary>
    public Channel<long> PullLog { get; } = Channel.CreateUnbounded<long>();

    /// <summary>Changes the table without telling anyone (a lost notification).</summary>
    public long SetQuietly(AppRoutes app)
    {
        lock (_gate)
        {
            _apps[app.AppId] = app;
            _log.Add((++Version, app.AppId));
            return Version;
        }
    }

    /// <summary>The control plane lost its state and starts again at version 0.</summary>
    public void Reset()
    {
        lock (_gate)
        {
            _apps.Clear();
            _log.Clear();
            Version = 0;
            Epoch++;
        }
    }

    public void Notify(long version)
    {
        List<IRouteTableObserver> observers;
        lock (_gate)
        {
            observers = [.. _observers];
        }

        foreach (var observer in observers)
        {
            observer.OnRouteTableChanged(version);
        }
    }

    public Task<long> SetApp(AppRoutes routes)
    {
        var version = SetQuietly(routes);
        Notify(version);
        return Task.FromResult(version);
    }

    public Task<long> RemoveApp(Guid appId) => throw new NotSupportedException();

    public Task<Guid?> FindHost(string host) => throw new NotSupportedException();

    public Task<RouteTableChanges> GetChangesSince(long version)
    {
        ThrowIfDown();
        RouteTableChanges changes;
        lock (_gate)
        {
            changes = version <= 0 || version > Version
                ? new RouteTableChanges(Version, true, [.. _apps.Values], [], Epoch)
                : new RouteTableChanges(Version, false, [.. _log.Where(l => l.Version > version).Select(l => l.AppId).Distinct().Select(id => _apps[id])], [], Epoch);
        }

        Interlocked.Increment(ref Pulls);
        PullLog.Writer.TryWrite(version);
        return Task.FromResult(changes);
    }

    public Task Subscribe(IRouteTableObserver observer)
    {
        ThrowIfDown();
        lock (_gate)
        {
            if (!_observers.Contains(observer))
            {
                _observers.Add(observer);
            }
        }

        Interlocked.Increment(ref Subscribes);
        return Task.CompletedTask;
    }

    public Task Unsubscribe(IRouteTableObserver observer)
    {
        lock (_gate)
        {
            _observers.Remove(observer);
        }

        return Task.CompletedTask;
    }

    private void ThrowIfDown()
    {
        if (Failure is { } failure)
        {
            throw failure;
        }
    }
}

/// <summary>Connections to a <see cref="FakeRouteTableGrain"/>; can refuse to connect or lose a session.</summary>
internal sealed class FakeControlPlane(FakeRouteTableGrain grain) : IControlPlane
{
    public int Connects;
    public int Disposed;

    public Exception? ConnectFailure { get; set; }

    public FakeSession? Current { get; private set; }

    public Task<IControlPlaneSession> ConnectAsync(IControlPlaneEvents events, CancellationToken cancellation)
    {
        Interlocked.Increment(ref Connects);
        if (ConnectFailure is { } failure)
        {
            throw failure;
        }

        Current = new FakeSession(this, grain, events);
        return Task.FromResult<IControlPlaneSession>(Current);
    }

    internal sealed class FakeSession(FakeControlPlane owner, FakeRouteTableGrain grain, IRouteTableObserver observer) : IControlPlaneSession
    {
        private readonly CancellationTokenSource _lost = new();

        public IRouteTableGrain RouteTable => grain;

        public IRouteTableObserver Observer => observer;

        public CancellationToken Lost => _lost.Token;

        public void Lose() => _lost.Cancel();

        public ValueTask DisposeAsync()
        {
            Interlocked.Increment(ref owner.Disposed);
            return default;
        }
    }
}

/// <summary>A control plane that never answers: for traffic tests that feed the provider directly.</summary>
internal sealed class ParkedControlPlane : IControlPlane
{
    public async Task<IControlPlaneSession> ConnectAsync(IControlPlaneEvents events, CancellationToken cancellation)
    {
        await Task.Delay(Timeout.Infinite, cancellation);
        throw new OperationCanceledException();
    }
}
