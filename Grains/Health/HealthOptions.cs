namespace Granary.Health;

/// <summary>How the health manager and the DEAs' heartbeats behave. Bound from "Granary:Health".</summary>
public sealed class HealthOptions
{
    /// <summary>How often every DEA publishes its heartbeat.</summary>
    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// A node that misses this many heartbeats in a row is lost, and its instances are started elsewhere.
    /// Two (4 s) keeps node loss → instances running elsewhere within the 5 s target; a node that stalls
    /// longer than that (a long GC pause, a starved VM) has its instances duplicated, and the extras are
    /// stopped once it beats again.
    /// </summary>
    public int MissedHeartbeats { get; set; } = 2;

    /// <summary>How often the convergence loop runs even when nothing was reported.</summary>
    public TimeSpan ConvergeInterval { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>How often every app is asked for its view again, healing lost notifications.</summary>
    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How long an instance may be unaccounted for (running but not the app's, or the app's but not on its
    /// node) before it is stopped or replaced: covers the time between a start and the app recording it.
    /// </summary>
    public TimeSpan Grace { get; set; } = TimeSpan.FromSeconds(6);

    /// <summary>The same action for the same target is not repeated sooner than this.</summary>
    public TimeSpan ActionCooldown { get; set; } = TimeSpan.FromSeconds(5);

    public CrashBackoffOptions Crashes { get; set; } = new();

    /// <summary>The time after which a node that sent no heartbeat is lost.</summary>
    public TimeSpan NodeTimeout => HeartbeatInterval * MissedHeartbeats;
}

/// <summary>Cloud Foundry's crash policy: a few restarts at once, then exponential backoff.</summary>
public sealed class CrashBackoffOptions
{
    /// <summary>Crashes in a row that are restarted at once.</summary>
    public int ImmediateRestarts { get; set; } = 3;

    /// <summary>The delay after the first crash beyond the immediate ones; it doubles with each further crash.</summary>
    public TimeSpan FirstDelay { get; set; } = TimeSpan.FromSeconds(2);

    public TimeSpan MaxDelay { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>An instance that ran this long before crashing was healthy: its crash count starts over.</summary>
    public TimeSpan HealthyAfter { get; set; } = TimeSpan.FromMinutes(5);
}
