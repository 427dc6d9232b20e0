using System.Threading.Channels;
using Granary.Edge.Hosting;
using Granary.Edge.Routing;
using Granary.Edge.Sync;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using static Granary.Tests.Edge.RouteData;

namespace Granary.Tests.Edge;

/// <summary>The sync loop against a fake control plane; the fake clock is the only thing that moves time.</summary>
public sealed class RouteSyncTests : IAsyncLifetime
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);
    private readonly EdgeOptions _options = new();
    private readonly FakeTimeProvider _time = new(DateTimeOffset.Parse("2026-01-01T00:00:00Z"));
    private readonly FakeRouteTableGrain _grain = new();
    private readonly FakeControlPlane _plane;
    private readonly EdgeRouter _provider = Router();
    private readonly EdgeStatus _status;
    private readonly RouteSync _sync;
    private readonly Channel<SyncPhase> _phases = Channel.CreateUnbounded<SyncPhase>();

    public RouteSyncTests()
    {
        _plane = new FakeControlPlane(_grain);
        _status = new EdgeStatus(_provider);
        _sync = new RouteSync(_plane, _provider, _status, Options.Create(_options), _time, NullLogger<RouteSync>.Instance)
        {
            Probe = phase => _phases.Writer.TryWrite(phase),
        };
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        await _sync.StopAsync(CancellationToken.None);
        _sync.Dispose();
    }

    [Fact]
    public async Task Start_ControlPlaneHasApps_TableLoadedSubscribedAndHealthy()
    {
        var app = App("a");
        _grain.SetQuietly(app);

        await _sync.StartAsync(CancellationToken.None);
        await UntilAsync(SyncPhase.Idle);

        Assert.True(_provider.Table.Loaded);
        Assert.Equal(1, _provider.Table.Version);
        Assert.Same(app, _provider.Table.Apps[app.AppId]);
        Assert.Equal(1, _grain.Subscribes);
        Assert.Equal(new EdgeHealthReport(200, "ok\n", false), _status.Report());
    }

    [Fact]
    public async Task Notifications_BurstWithinTheWindow_AnsweredByOnePull()
    {
        await StartLoadedAsync();

        for (var i = 0; i < 10; i++)
        {
            await _grain.SetApp(App($"burst{i}"));
        }

        await UntilAsync(SyncPhase.Coalescing);
        _time.Advance(_options.CoalesceWindow);
        await UntilAsync(SyncPhase.Idle);

        Assert.Equal(2, _grain.Pulls);
        Assert.Equal(10, _provider.Table.Version);
        Assert.Equal(10, _provider.Table.Apps.Count);
    }

    [Fact]
    public async Task Notification_ForAVersionAlreadyHeld_DoesNotWakeTheLoop()
    {
        await StartLoadedAsync();

        _sync.OnRouteTableChanged(_provider.Table.Version);
        _time.Advance(_options.PollInterval);

        Assert.Equal(SyncPhase.Idle, await NextAsync());
    }

    [Fact]
    public async Task Poll_NotificationLost_ChangeArrivesWithinThePollInterval()
    {
        await StartLoadedAsync();
        var late = App("late");
        _grain.SetQuietly(late);

        _time.Advance(_options.PollInterval);
        await UntilAsync(SyncPhase.Idle);

        Assert.Same(late, _provider.Table.Apps[late.AppId]);
    }

    [Fact]
    public async Task Pull_ControlPlaneDown_LastTableKeptAndDegradedThenHealsWhenBack()
    {
        await StartLoadedAsync();
        var held = _provider.Table;
        var config = _provider.Routes;

        _grain.Failure = new TimeoutException("gateway silent");
        _time.Advance(_options.PollInterval);
        await UntilAsync(SyncPhase.Idle);

        Assert.Same(held, _provider.Table);
        Assert.Same(config, _provider.Routes);
        var report = _status.Report();
        Assert.Equal(200, report.StatusCode);
        Assert.True(report.Degraded);
        Assert.StartsWith("degraded: control plane unreachable", report.Body);
        Assert.Contains("gateway silent", report.Body);

        _grain.Failure = null;
        _time.Advance(_options.PollInterval);
        await UntilAsync(SyncPhase.Idle);

        Assert.Equal(new EdgeHealthReport(200, "ok\n", false), _status.Report());
    }

    [Fact]
    public async Task Pull_FailsRepeatedly_ReconnectsAndResubscribesKeepingTheTable()
    {
        await StartLoadedAsync();
        var held = _provider.Table;
        _grain.Failure = new InvalidOperationException("silo gone");

        for (var i = 0; i < _options.ReconnectAfterFailures; i++)
        {
            _time.Advance(_options.PollInterval);
            await UntilAsync(SyncPhase.Idle);
        }

        Assert.Equal(2, _plane.Connects);
        Assert.Equal(1, _plane.Disposed);
        Assert.Same(held, _provider.Table);

        _grain.Failure = null;
        _time.Advance(_options.PollInterval);
        await UntilAsync(SyncPhase.Idle);

        Assert.Equal(2, _grain.Subscribes);
        Assert.False(_status.Report().Degraded);
    }

    [Fact]
    public async Task Connect_ControlPlaneNotUp_503UntilItIsThenLoads()
    {
        _plane.ConnectFailure = new InvalidOperationException("no gateway at 127.0.0.1:30000");
        _grain.SetQuietly(App("a"));

        await _sync.StartAsync(CancellationToken.None);
        await UntilAsync(SyncPhase.ConnectFailed);

        var before = _status.Report();
        Assert.Equal(503, before.StatusCode);
        Assert.Contains("no gateway at 127.0.0.1:30000", before.Body);

        _plane.ConnectFailure = null;
        _time.Advance(_options.ConnectRetryMin);
        await UntilAsync(SyncPhase.Idle);

        Assert.True(_provider.Table.Loaded);
        Assert.Equal(new EdgeHealthReport(200, "ok\n", false), _status.Report());
    }

    [Fact]
    public async Task Subscription_RenewedEveryThirtySeconds()
    {
        await StartLoadedAsync();
        var polls = (int)(_options.ResubscribeInterval / _options.PollInterval);

        for (var i = 1; i < polls; i++)
        {
            _time.Advance(_options.PollInterval);
            await UntilAsync(SyncPhase.Idle);
        }

        Assert.Equal(1, _grain.Subscribes);
        _time.Advance(_options.PollInterval);
        await UntilAsync(SyncPhase.Idle);
        Assert.Equal(2, _grain.Subscribes);
    }

    [Fact]
    public async Task ConnectionLost_NewSessionSubscribesAndPullsAtOnce()
    {
        await StartLoadedAsync();
        var missed = App("missed");
        _grain.SetQuietly(missed);

        _plane.Current!.Lose();
        await UntilAsync(SyncPhase.Idle);

        Assert.Equal(2, _plane.Connects);
        Assert.Equal(1, _plane.Disposed);
        Assert.Equal(2, _grain.Subscribes);
        Assert.True(_provider.Table.Apps.ContainsKey(missed.AppId));
    }

    [Fact]
    public async Task ConnectionRecovered_ResubscribesAndPulls()
    {
        await StartLoadedAsync();

        _sync.OnConnectionRecovered();
        await UntilAsync(SyncPhase.Coalescing);
        _time.Advance(_options.CoalesceWindow);
        await UntilAsync(SyncPhase.Idle);

        Assert.Equal(2, _grain.Subscribes);
        Assert.Equal(2, _grain.Pulls);
    }

    [Fact]
    public async Task Pull_ControlPlaneVersionWentBackwards_WholeNewTableTaken()
    {
        for (var i = 0; i < 3; i++)
        {
            _grain.SetQuietly(App($"old{i}"));
        }

        await StartLoadedAsync();
        Assert.Equal(3, _provider.Table.Version);

        _grain.Reset();
        var fresh = App("fresh");
        _grain.SetQuietly(fresh);
        _time.Advance(_options.PollInterval);
        await UntilAsync(SyncPhase.Idle);

        Assert.Equal(1, _provider.Table.Version);
        Assert.Equal([fresh.AppId], _provider.Table.Apps.Keys);
    }

    [Theory]
    [InlineData(3)]
    [InlineData(5)]
    public async Task Pull_ControlPlaneResetThenClimbedBackToOrPastTheVersionHeld_WholeNewTableTaken(int changesAfterReset)
    {
        for (var i = 0; i < 3; i++)
        {
            _grain.SetQuietly(App($"old{i}"));
        }

        await StartLoadedAsync();
        Assert.Equal(3, _provider.Table.Version);

        // Its version alone cannot tell: the new history reaches the version the edge holds (or passes it).
        _grain.Reset();
        var fresh = Enumerable.Range(0, changesAfterReset).Select(i => App($"fresh{i}")).ToArray();
        foreach (var app in fresh)
        {
            _grain.SetQuietly(app);
        }

        _time.Advance(_options.PollInterval);
        await UntilAsync(SyncPhase.Idle);

        Assert.Equal(changesAfterReset, _provider.Table.Version);
        Assert.Equal(fresh.Select(a => a.AppId).Order(), _provider.Table.Apps.Keys.Order());
        Assert.Null(_provider.Routes.Find("old0.localhost"));
        Assert.NotNull(_provider.Routes.Find("fresh0.localhost"));
    }

    [Fact]
    public async Task Deltas_AskedFromTheVersionHeld()
    {
        _grain.SetQuietly(App("a"));
        await StartLoadedAsync();
        _grain.SetQuietly(App("b"));

        _time.Advance(_options.PollInterval);
        await UntilAsync(SyncPhase.Idle);

        Assert.Equal([0L, 1L], await AllPullsAsync());
        Assert.Equal(2, _provider.Table.Apps.Count);
    }

    [Fact]
    public async Task Stop_Unsubscribes()
    {
        await StartLoadedAsync();
        Assert.Equal(1, _grain.Observers);

        await _sync.StopAsync(CancellationToken.None);

        Assert.Equal(0, _grain.Observers);
    }

    private async Task StartLoadedAsync()
    {
        await _sync.StartAsync(CancellationToken.None);
        await UntilAsync(SyncPhase.Idle);
        Assert.True(_provider.Table.Loaded);
    }

    private async Task<SyncPhase> NextAsync() => await _phases.Reader.ReadAsync().AsTask().WaitAsync(Wait);

    private async Task UntilAsync(SyncPhase phase)
    {
        while (await NextAsync() != phase)
        {
        }
    }

    private Task<List<long>> AllPullsAsync()
    {
        var pulls = new List<long>();
        while (_grain.PullLog.Reader.TryRead(out var version))
        {
            pulls.Add(version);
        }

        return Task.FromResult(pulls);
    }
}
