namespace Granary.Silo.Dea.Isolation;

/// <summary>cgroup v1: a directory per hierarchy (memory, pids, cpu, freezer, ...), each with its own files.</summary>
public sealed class CgroupV1(CgroupLayout layout) : CgroupDriver(layout)
{
    private string? FreezerDirectory(string path) => Layout.Has("freezer") ? Directory("freezer", path) : null;

    protected override Task KillOnceAsync(string path)
    {
        var freezer = FreezerDirectory(path);
        var state = freezer is null ? null : Path.Combine(freezer, "freezer.state");
        return FreezeKillThawAsync(path, state, "FROZEN", "THAWED", () => ReadFile(state!)?.Trim() == "FROZEN");
    }

    /// <summary>memory.oom_control has an oom_kill count since 4.13; before that, failcnt says the limit was hit.</summary>
    public override long OomKills(string path)
    {
        var memory = Directory("memory", path);
        return ReadKey(Path.Combine(memory, "memory.oom_control"), "oom_kill")
            ?? (ReadNumber(Path.Combine(memory, "memory.failcnt")) > 0 ? 1 : 0);
    }

    public override string TakeDown(string path) =>
        CgroupPlan.TakeDown(CgroupVersion.V1, Directories(path), FreezerDirectory(path), hasKillFile: false);

    /// <summary>Each hierarchy where a runtime looks for it (/sys/fs/cgroup/memory, ...), named by its mount's last segment.</summary>
    public override IReadOnlyList<(string Host, string Sandbox)> SandboxMounts(string path) =>
        Hierarchies.Select(h => (Path.Combine(h, path), "/sys/fs/cgroup/" + Path.GetFileName(h))).ToList();

    public override (long MemoryBytes, long CpuNanoseconds)? Usage(string path)
    {
        var memory = ReadNumber(Path.Combine(Directory("memory", path), "memory.usage_in_bytes"));
        if (memory is null)
        {
            return null;
        }

        var cpu = Layout.Has("cpuacct") ? ReadNumber(Path.Combine(Directory("cpuacct", path), "cpuacct.usage")) : null;
        return (memory.Value, cpu ?? 0);
    }
}
