namespace Granary.Edge.Hosting;

/// <summary>The edge's settings, section <c>Granary:Edge</c> (e.g. <c>--Granary:Edge:AccessLog=false</c>).</summary>
public sealed class EdgeOptions
{
    public const string Section = "Granary:Edge";

    /// <summary>One line per request through a non-blocking queue; off for benchmarks of the bare proxy.</summary>
    public bool AccessLog { get; set; } = true;

    /// <summary>
    /// The largest request body the edge forwards (<see cref="Granary.Config.RequestBodyLimit"/>: <c>unlimited</c>, bytes,
    /// <c>100M</c>, …). Unlimited by default, as behind Cloud Foundry's router: apps set their own limits.
    /// </summary>
    public string? MaxRequestBodySize { get; set; }

    /// <summary>File the access log is appended to; stdout when unset.</summary>
    public string? AccessLogPath { get; set; }

    /// <summary>Per-app OpenTelemetry metrics (and the loopback-only Prometheus endpoint).</summary>
    public bool Metrics { get; set; } = true;

    /// <summary>
    /// Load balancers in front of the edge (IPs or CIDRs, a list or one comma-separated string). Only when the
    /// direct peer is one of them are its X-Forwarded-* headers kept (and appended to); otherwise replaced.
    /// </summary>
    public string[] TrustedProxies { get; set; } = [];

    /// <summary>The edge pulls the route table this often even without notifications (a lost message heals).</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Observer subscriptions expire on the grain side and do not survive reconnects: renew this often.</summary>
    public TimeSpan ResubscribeInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Notifications arriving within this window are answered by one pull.</summary>
    public TimeSpan CoalesceWindow { get; set; } = TimeSpan.FromMilliseconds(5);

    /// <summary>After this many failed pulls in a row the client is rebuilt (a fresh connection).</summary>
    public int ReconnectAfterFailures { get; set; } = 3;

    /// <summary>First wait after a failed connection attempt; doubles up to <see cref="ConnectRetryMax"/>.</summary>
    public TimeSpan ConnectRetryMin { get; set; } = TimeSpan.FromMilliseconds(250);

    public TimeSpan ConnectRetryMax { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Connecting to an instance that does not answer fails after this (then another instance is tried).</summary>
    public TimeSpan BackendConnectTimeout { get; set; } = TimeSpan.FromSeconds(3);
}
