namespace Granary.Silo.Dea.Isolation;

/// <summary>How instances are isolated. Bound from "Granary:Dea:Isolation".</summary>
public sealed class IsolationOptions
{
    /// <summary>
    /// False turns isolation off on a node that could isolate (to measure what it costs: bench/push): the node then
    /// counts as one that cannot, and runs instances only with Granary:Dea:AllowUnisolated.
    /// </summary>
    public bool Enabled { get; set; } = true;

    /// <summary>The first uid (and gid) instances run as; each running instance holds one of its own.</summary>
    public int FirstUid { get; set; } = 200_000;

    /// <summary>How many uids the range has: the most instances this node can run at once.</summary>
    public int UidCount { get; set; } = 10_000;

    /// <summary>The most tasks (processes and threads) an instance may have at once.</summary>
    public int PidsLimit { get; set; } = 1024;

    /// <summary>
    /// The cgroup every node's instances go under, in each hierarchy: ROOT/NODE-HASH/INSTANCE. A node reaps only its
    /// own NODE-HASH (its node id and instances directory), so nodes and tests sharing a machine never touch each other's.
    /// </summary>
    public string CgroupRoot { get; set; } = "granary";

    /// <summary>More directories instances see read-only at the same path (runtimes installed outside /usr).</summary>
    public List<string> ReadOnlyPaths { get; set; } = [];

    public string Bwrap { get; set; } = "bwrap";

    public string Setpriv { get; set; } = "setpriv";
}
