namespace Granary.Silo.Dea.Isolation;

/// <summary>cgroup v2: one directory per cgroup; a parent hands controllers down through cgroup.subtree_control.</summary>
public sealed class CgroupV2(CgroupLayout layout) : CgroupDriver(layout)
{
    private string Root => Layout.Mounts["memory"];

    public override IReadOnlyList<string> Create(string path, CgroupLimits limits)
    {
        // Every ancestor (the root included) must enable the controllers for its children, or the leaf has no
        // memory.max to write. Granary's own parents hold no processes, so the "no internal processes" rule holds.
        var delegated = string.Join(' ', CgroupPlan.V2Delegated(Layout.Mounts.Keys).Select(c => "+" + c));
        var directory = Root;
        foreach (var segment in path.Split('/', StringSplitOptions.RemoveEmptyEntries).SkipLast(1).Prepend(""))
        {
            directory = segment.Length == 0 ? directory : Path.Combine(directory, segment);
            System.IO.Directory.CreateDirectory(directory);
            WriteFile(Path.Combine(directory, "cgroup.subtree_control"), delegated);
        }

        return base.Create(path, limits);
    }

    protected override async Task KillOnceAsync(string path)
    {
        var directory = Path.Combine(Root, path);
        var killFile = Path.Combine(directory, "cgroup.kill");
        if (File.Exists(killFile))
        {
            WriteFile(killFile, "1");
            return;
        }

        var events = Path.Combine(directory, "cgroup.events");
        await FreezeKillThawAsync(path, Path.Combine(directory, "cgroup.freeze"), "1", "0", () => ReadKey(events, "frozen") == 1);
    }

    public override long OomKills(string path) => ReadKey(Path.Combine(Root, path, "memory.events"), "oom_kill") ?? 0;

    public override string TakeDown(string path) =>
        CgroupPlan.TakeDown(CgroupVersion.V2, [Path.Combine(Root, path)], null, File.Exists(Path.Combine(Root, "cgroup.kill"))
            || File.Exists(Path.Combine(Root, path, "cgroup.kill")));

    public override IReadOnlyList<(string Host, string Sandbox)> SandboxMounts(string path) =>
        [(Path.Combine(Root, path), "/sys/fs/cgroup")];

    public override (long MemoryBytes, long CpuNanoseconds)? Usage(string path)
    {
        var directory = Path.Combine(Root, path);
        var memory = ReadNumber(Path.Combine(directory, "memory.current"));
        var cpuMicroseconds = ReadKey(Path.Combine(directory, "cpu.stat"), "usage_usec");
        return memory is null ? null : (memory.Value, (cpuMicroseconds ?? 0) * 1000);
    }
}
