namespace Granary.Silo.Dea.Isolation;

/// <summary>What an instance's cgroup limits: its memory (the app's setting), its number of tasks, its CPU share.</summary>
public sealed record CgroupLimits(int MemoryMb, int PidsMax)
{
    public long MemoryBytes => MemoryMb * 1024L * 1024L;
}

/// <summary>One value to write into one file of an instance's cgroup, in the hierarchy of <paramref name="Controller"/>.</summary>
/// <param name="Optional">Written only when the kernel offers the file (swap accounting, the cpu controller).</param>
public sealed record CgroupWrite(string Controller, string File, string Value, bool Optional = false);

/// <summary>
/// The cgroup files that make an instance's limits, for each layout, and the shell commands that kill a whole cgroup.
/// Pure: the drivers apply what this says.
/// </summary>
public static class CgroupPlan
{
    /// <summary>
    /// CPU shares proportional to memory, as Garden gives them: under contention a 1 GB instance gets as much CPU
    /// as the kernel's default share (1024 on v1, weight 100 on v2), a 256 MB one a quarter of that.
    /// </summary>
    public static int CpuShares(int memoryMb) => Math.Clamp(memoryMb, 2, 262_144);

    /// <inheritdoc cref="CpuShares"/>
    public static int CpuWeight(int memoryMb) => Math.Clamp(memoryMb * 100 / 1024, 1, 10_000);

    public static IReadOnlyList<CgroupWrite> Writes(CgroupVersion version, CgroupLimits limits) => version switch
    {
        CgroupVersion.V1 =>
        [
            new("memory", "memory.limit_in_bytes", limits.MemoryBytes.ToString()),
            // After the memory limit (memsw may never be below it): swap must not stretch the limit.
            new("memory", "memory.memsw.limit_in_bytes", limits.MemoryBytes.ToString(), Optional: true),
            new("pids", "pids.max", limits.PidsMax.ToString()),
            new("cpu", "cpu.shares", CpuShares(limits.MemoryMb).ToString(), Optional: true),
        ],
        _ =>
        [
            new("memory", "memory.max", limits.MemoryBytes.ToString()),
            new("memory", "memory.swap.max", "0", Optional: true),
            new("pids", "pids.max", limits.PidsMax.ToString()),
            new("cpu", "cpu.weight", CpuWeight(limits.MemoryMb).ToString(), Optional: true),
        ],
    };

    /// <summary>Controllers a v2 parent must hand down (cgroup.subtree_control) for its children's limits to apply.</summary>
    public static IReadOnlyList<string> V2Delegated(IEnumerable<string> available) =>
        new[] { "memory", "pids", "cpu" }.Where(available.Contains).ToList();

    /// <summary>
    /// Shell commands (POSIX sh, run as root by the watchdog when the silo died) that kill every process of the cgroup
    /// and remove it. <paramref name="directories"/> are its directories, one per hierarchy (v2: one); the first one's
    /// cgroup.procs lists the processes. v2 uses cgroup.kill where the kernel has it (5.14), else freezes as v1 does,
    /// so a process forking as fast as it can cannot slip a child past the kill.
    /// </summary>
    public static string TakeDown(CgroupVersion version, IReadOnlyList<string> directories, string? freezerDirectory, bool hasKillFile)
    {
        var procs = Quote(Path.Combine(directories[0], "cgroup.procs"));
        var (freeze, thaw) = version == CgroupVersion.V2
            ? ($"echo 1 >{Quote(Path.Combine(directories[0], "cgroup.freeze"))}", $"echo 0 >{Quote(Path.Combine(directories[0], "cgroup.freeze"))}")
            : freezerDirectory is null
                ? (":", ":")
                : ($"echo FROZEN >{Quote(Path.Combine(freezerDirectory, "freezer.state"))}",
                    $"echo THAWED >{Quote(Path.Combine(freezerDirectory, "freezer.state"))}");
        var kill = version == CgroupVersion.V2 && hasKillFile
            ? $"echo 1 >{Quote(Path.Combine(directories[0], "cgroup.kill"))}"
            : $"{freeze}; for p in $(cat {procs}); do kill -KILL $p; done; {thaw}";
        var remove = string.Join(" ", directories.Select(Quote));
        // The node's parent goes with its last instance (a sibling still there keeps it, and rmdir says no).
        var parents = string.Join(" ", directories.Select(d => Quote(Path.GetDirectoryName(d)!)));
        return $"i=0; while [ -n \"$(cat {procs} 2>/dev/null)\" ] && [ $i -lt 50 ]; do {kill}; sleep 0.1; i=$((i+1)); done; "
            + $"rmdir {remove}; rmdir {parents} 2>/dev/null";
    }

    private static string Quote(string path) => "'" + path.Replace("'", "'\\''") + "'";
}
