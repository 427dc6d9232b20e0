using System.Threading.Channels;
using Granary.Edge.Hosting;
using Granary.Edge.Routing;
using Microsoft.Extensions.Options;

namespace Granary.Edge.Sync;

/// <summary>Points in the sync loop a test can wait for (nothing in production listens).</summary>
internal enum SyncPhase
{
    /// <summary>Waiting for a notification or the poll timer.</summary>
    Idle = 1,

    /// <summary>A notification woke the loop; the coalescing window is open.</summary>
    Coalescing = 2,

    /// <summary>A connection attempt failed; waiting to retry.</summary>
    ConnectFailed = 3,
}

/// <summary>
/// Keeps the edge's route table in step with the control plane. It pulls at start, after every
/// (re)connection and every poll interval; notifications only signal, and those arriving within the
/// coalescing window make one pull. Pulls run one at a time and the table refuses anything out of order.
/// When the control plane is unreachable the last table keeps being served, untouched, and the edge says
/// it is degraded.
/// </summary>
internal sealed partial class RouteSync(
    IControlPlane controlPlane,
    EdgeRouter provider,
    EdgeStatus status,
    IOptions<EdgeOptions> options,
    TimeProvider time,
    ILogger<RouteSync> logger) : BackgroundService, IControlPlaneEvents
{
    private readonly EdgeOptions _options = options.Value;
    private readonly Channel<bool> _wake = Channel.CreateBounded<bool>(
        new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite, SingleReader = true });

    private volatile bool _resubscribe;
    private string? _subscribeProblem;

    /// <summary>Test hook: told when the loop reaches a phase.</summary>
    internal Action<SyncPhase>? Probe { get; set; }

    /// <summary>An Orleans one-way call: only signals, never pulls here.</summary>
    public void OnRouteTableChanged(long version)
    {
        LogNotified(version);
        var table = provider.Table;
        if (!table.Loaded || version > table.Version)
        {
            _wake.Writer.TryWrite(true);
        }
    }

    public void OnConnectionRecovered()
    {
        _resubscribe = true;
        _wake.Writer.TryWrite(true);
    }

    protected override async Task ExecuteAsync(CancellationToken stopping)
    {
        var backoff = _options.ConnectRetryMin;
        var failedAttempts = 0;
        while (!stopping.IsCancellationRequested)
        {
            IControlPlaneSession session;
            try
            {
                session = await controlPlane.ConnectAsync(this, stopping);
            }
            catch (Exception e) when (!stopping.IsCancellationRequested)
            {
                status.Degraded($"control plane unreachable: {e.Message}");
                if (failedAttempts++ == 0)
                {
                    LogConnectFailed(e.Message);
                }

                Probe?.Invoke(SyncPhase.ConnectFailed);
                await DelayAsync(backoff, stopping);
                backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, _options.ConnectRetryMax.Ticks));
                continue;
            }
            catch (OperationCanceledException)
            {
                return;
            }

            LogConnected(failedAttempts);
            backoff = _options.ConnectRetryMin;
            failedAttempts = 0;
            try
            {
                await RunSessionAsync(session, stopping);
                if (stopping.IsCancellationRequested)
                {
                    await UnsubscribeAsync(session);
                }
            }
            finally
            {
                await session.DisposeAsync();
            }
        }
    }

    private async Task RunSessionAsync(IControlPlaneSession session, CancellationToken stopping)
    {
        var failures = 0;
        var nextSubscribe = DateTimeOffset.MinValue;
        _resubscribe = true;
        while (!stopping.IsCancellationRequested && !session.Lost.IsCancellationRequested)
        {
            if (_resubscribe || time.GetUtcNow() >= nextSubscribe)
            {
                _resubscribe = false;
                var subscribed = await SubscribeAsync(session);
                nextSubscribe = time.GetUtcNow() + (subscribed ? _options.ResubscribeInterval : _options.PollInterval);
            }

            if (await PullAsync(session))
            {
                failures = 0;
            }
            else if (++failures >= _options.ReconnectAfterFailures)
            {
                LogReconnecting(failures);
                return;
            }

            await WaitForWorkAsync(nextSubscribe, session.Lost, stopping);
        }

        if (session.Lost.IsCancellationRequested && !stopping.IsCancellationRequested)
        {
            status.Degraded("connection to the control plane lost");
            LogConnectionLost();
        }
    }

    private async Task<bool> SubscribeAsync(IControlPlaneSession session)
    {
        try
        {
            await session.RouteTable.Subscribe(session.Observer);
            _subscribeProblem = null;
            return true;
        }
        catch (Exception e)
        {
            _subscribeProblem = $"not subscribed to route changes, polling every {_options.PollInterval.TotalSeconds:0.#} s: {e.Message}";
            LogSubscribeFailed(e.Message);
            return false;
        }
    }

    /// <summary>One pull, applied if it moves the table forward. False if the control plane did not answer.</summary>
    internal async Task<bool> PullAsync(IControlPlaneSession session)
    {
        var table = provider.Table;
        try
        {
            var changes = await session.RouteTable.GetChangesSince(table.Loaded ? table.Version : 0);
            var update = table.Apply(changes);
            if (update.Kind == RouteTableUpdateKind.Refused && table.Loaded && (changes.Version < table.Version || changes.Epoch != table.Epoch))
            {
                // The control plane's state was reset: its version went backwards, or it is another history (a new
                // epoch) that may have climbed back to the version held. It is the truth: take all of it.
                LogTableReset(table.Version, table.Epoch, changes.Version, changes.Epoch);
                var snapshot = changes.IsFull ? changes : await session.RouteTable.GetChangesSince(0);
                update = snapshot.IsFull ? new(RouteTableUpdateKind.Applied, RouteTable.FromSnapshot(snapshot)) : update;
            }

            switch (update.Kind)
            {
                case RouteTableUpdateKind.Applied:
                    provider.Update(update.Table);
                    break;
                case RouteTableUpdateKind.Refused:
                    LogRefused(update.Reason);
                    break;
            }

            if (_subscribeProblem is { } problem)
            {
                status.Degraded(problem);
            }
            else
            {
                status.Synced();
            }

            return true;
        }
        catch (Exception e)
        {
            status.Degraded($"control plane unreachable, serving route table version {table.Version}: {e.Message}");
            LogPullFailed(e.Message);
            return false;
        }
    }

    private async Task WaitForWorkAsync(DateTimeOffset nextSubscribe, CancellationToken lost, CancellationToken stopping)
    {
        var untilSubscribe = nextSubscribe - time.GetUtcNow();
        var wait = untilSubscribe < _options.PollInterval ? untilSubscribe : _options.PollInterval;
        using var waiting = CancellationTokenSource.CreateLinkedTokenSource(lost, stopping);
        var timer = Task.Delay(wait > TimeSpan.Zero ? wait : TimeSpan.Zero, time, waiting.Token);
        var woken = _wake.Reader.WaitToReadAsync(waiting.Token).AsTask();
        Probe?.Invoke(SyncPhase.Idle);
        var first = await Task.WhenAny(timer, woken);
        waiting.Cancel();
        if (first == woken && woken.IsCompletedSuccessfully)
        {
            // Let the notifications of a burst (a scale of many instances) arrive, then answer them all at once.
            var window = Task.Delay(_options.CoalesceWindow, time, stopping);
            Probe?.Invoke(SyncPhase.Coalescing);
            await window.ContinueWith(static _ => { }, TaskScheduler.Default);
            while (_wake.Reader.TryRead(out _))
            {
            }
        }
    }

    private static async Task UnsubscribeAsync(IControlPlaneSession session)
    {
        try
        {
            await session.RouteTable.Unsubscribe(session.Observer).WaitAsync(TimeSpan.FromSeconds(1));
        }
        catch (Exception)
        {
            // Best effort on the way out: the grain drops expired subscriptions anyway.
        }
    }

    private async Task DelayAsync(TimeSpan delay, CancellationToken cancellation)
    {
        try
        {
            await Task.Delay(delay, time, cancellation);
        }
        catch (OperationCanceledException)
        {
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Told of route table version {Version}")]
    private partial void LogNotified(long version);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Cannot reach the control plane ({Reason}); serving the last route table and retrying")]
    private partial void LogConnectFailed(string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Connected to the control plane (after {FailedAttempts} failed attempts)")]
    private partial void LogConnected(int failedAttempts);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Connection to the control plane lost; reconnecting")]
    private partial void LogConnectionLost();

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Failures} route table pulls failed in a row; reconnecting")]
    private partial void LogReconnecting(int failures);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Subscribing to route table changes failed: {Reason}")]
    private partial void LogSubscribeFailed(string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Pulling the route table failed: {Reason}")]
    private partial void LogPullFailed(string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Route table update refused: {Reason}")]
    private partial void LogRefused(string? reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The control plane's route table was reset (held version {Held} of epoch {HeldEpoch}, it serves {Served} of epoch {ServedEpoch}); reloading it whole")]
    private partial void LogTableReset(long held, long heldEpoch, long served, long servedEpoch);
}
