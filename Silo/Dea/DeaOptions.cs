namespace Granary.Silo.Dea;

/// <summary>How this node runs instances. Bound from "Granary:Dea"; defaults derived from the node in Program.</summary>
public sealed class DeaOptions
{
    /// <summary>Where each instance gets its own directory (droplet unpacked, HOME, TMPDIR).</summary>
    public string InstancesDirectory { get; set; } = "";

    /// <summary>Memory offered to instances; 0 means three quarters of the machine's memory.</summary>
    public int MemoryMb { get; set; }

    /// <summary>The address other machines (the edge) reach this node's instances on.</summary>
    public string AdvertiseHost { get; set; } = "127.0.0.1";

    /// <summary>How long a stopping instance gets between SIGTERM and SIGKILL.</summary>
    public TimeSpan StopGrace { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Between unrouting a RUNNING instance and sending it SIGTERM: edges learn of the route change in well
    /// under this, so no new request reaches a process that is about to exit (gorouter's unregister-then-stop).
    /// </summary>
    public TimeSpan UnrouteDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>On shutdown, how long the node waits for the health manager to move its instances elsewhere.</summary>
    public TimeSpan EvacuationTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Lets a node that cannot isolate instances (not root, no cgroup controllers, no bubblewrap, no namespaces) run
    /// them anyway, as the silo's user in the host's namespaces: for development only. Without it such a node refuses.
    /// </summary>
    public bool AllowUnisolated { get; set; }

    /// <summary>Uids, limits and cgroup names of isolated instances ("Granary:Dea:Isolation").</summary>
    public Isolation.IsolationOptions Isolation { get; set; } = new();
}
