namespace Granary.Silo.Dea.Isolation;

/// <summary>
/// Makes, inspects and removes instance cgroups by writing cgroupfs directly. Paths are relative to each hierarchy's
/// root (e.g. <c>granary/node-1a2b3c4d/INSTANCE</c>); a v1 cgroup is a directory of that name in each hierarchy.
/// </summary>
public interface ICgroupDriver
{
    CgroupLayout Layout { get; }

    /// <summary>Creates the cgroup (and its parents) and writes its limits; returns the cgroup.procs files to join.</summary>
    IReadOnlyList<string> Create(string path, CgroupLimits limits);

    /// <summary>The processes in the cgroup now (empty when it is gone).</summary>
    IReadOnlyList<int> Processes(string path);

    /// <summary>Freezes the cgroup, kills every process in it, thaws; repeats until it is empty (bounded).</summary>
    Task KillAsync(string path);

    /// <summary>Removes the cgroup's directories; false when one could not be removed (still busy).</summary>
    bool Remove(string path);

    /// <summary>Names of the cgroups directly under <paramref name="path"/>, in any hierarchy.</summary>
    IReadOnlyList<string> Children(string path);

    /// <summary>How many times the kernel's OOM killer killed a process of this cgroup.</summary>
    long OomKills(string path);

    /// <summary>Shell commands that kill and remove the cgroup, for the watchdog (see <see cref="CgroupPlan.TakeDown"/>).</summary>
    string TakeDown(string path);

    /// <summary>The cgroup's directories, with where each appears inside a sandbox (read-only, for runtimes that read their limits).</summary>
    IReadOnlyList<(string Host, string Sandbox)> SandboxMounts(string path);

    /// <summary>Memory in use (bytes) and CPU time used (ns) so far; null when the cgroup is gone.</summary>
    (long MemoryBytes, long CpuNanoseconds)? Usage(string path);
}

/// <summary>What both layouts share: directories, limits, the freeze-kill loop.</summary>
public abstract class CgroupDriver(CgroupLayout layout) : ICgroupDriver
{
    private static readonly TimeSpan KillTimeout = TimeSpan.FromSeconds(5);

    public CgroupLayout Layout => layout;

    /// <summary>The hierarchies a cgroup has a directory in: one for v2, one per distinct mount for v1.</summary>
    protected IEnumerable<string> Hierarchies => layout.Mounts.Values.Distinct(StringComparer.Ordinal);

    protected string Directory(string controller, string path) => Path.Combine(layout.Mounts[controller], path);

    protected IReadOnlyList<string> Directories(string path) => Hierarchies.Select(h => Path.Combine(h, path)).ToList();

    public virtual IReadOnlyList<string> Create(string path, CgroupLimits limits)
    {
        foreach (var directory in Directories(path))
        {
            System.IO.Directory.CreateDirectory(directory);
        }

        foreach (var write in CgroupPlan.Writes(layout.Version, limits))
        {
            if (!layout.Has(write.Controller))
            {
                continue; // only optional controllers can be missing: the layout requires the others
            }

            var file = Path.Combine(Directory(write.Controller, path), write.File);
            if (!write.Optional || File.Exists(file))
            {
                WriteFile(file, write.Value);
            }
        }

        return Directories(path).Select(d => Path.Combine(d, "cgroup.procs")).ToList();
    }

    public IReadOnlyList<int> Processes(string path)
    {
        var text = ReadFile(Path.Combine(Directory("memory", path), "cgroup.procs"));
        return text is null ? [] : text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(int.Parse).ToList();
    }

    public async Task KillAsync(string path)
    {
        var deadline = DateTime.UtcNow + KillTimeout;
        while (Processes(path).Count > 0 && DateTime.UtcNow < deadline)
        {
            await KillOnceAsync(path);
            await Task.Delay(20);
        }
    }

    /// <summary>One round: every process in the cgroup gets SIGKILL, none can fork meanwhile.</summary>
    protected abstract Task KillOnceAsync(string path);

    protected async Task FreezeKillThawAsync(string path, string? stateFile, string frozen, string thawed, Func<bool> isFrozen)
    {
        if (stateFile is not null)
        {
            WriteFile(stateFile, frozen);
            for (var i = 0; i < 50 && !isFrozen(); i++)
            {
                await Task.Delay(10);
            }
        }

        foreach (var pid in Processes(path))
        {
            Granary.Silo.Processes.PosixSignals.Signal(pid, Granary.Silo.Processes.PosixSignals.SigKill);
        }

        if (stateFile is not null)
        {
            WriteFile(stateFile, thawed); // the KILLs are delivered as the processes thaw
        }
    }

    public bool Remove(string path)
    {
        var removed = true;
        foreach (var directory in Directories(path).Where(System.IO.Directory.Exists))
        {
            try
            {
                System.IO.Directory.Delete(directory); // rmdir: cgroupfs lists files, but only child cgroups make it busy
            }
            catch (IOException)
            {
                removed = false;
            }
        }

        return removed;
    }

    public IReadOnlyList<string> Children(string path) =>
        Directories(path).Where(System.IO.Directory.Exists)
            .SelectMany(System.IO.Directory.EnumerateDirectories)
            .Select(Path.GetFileName).OfType<string>()
            .Distinct(StringComparer.Ordinal).ToList();

    public abstract long OomKills(string path);

    public abstract string TakeDown(string path);

    public abstract IReadOnlyList<(string Host, string Sandbox)> SandboxMounts(string path);

    public abstract (long MemoryBytes, long CpuNanoseconds)? Usage(string path);

    /// <summary>The number after <paramref name="key"/> in a "key value" per line file (memory.events, oom_control, cpu.stat).</summary>
    protected static long? ReadKey(string file, string key) =>
        ReadFile(file)?.Split('\n').Select(l => l.Split(' ')).Where(f => f.Length == 2 && f[0] == key)
            .Select(f => long.TryParse(f[1], out var n) ? n : (long?)null).FirstOrDefault();

    protected static long? ReadNumber(string file) => long.TryParse(ReadFile(file)?.Trim(), out var n) ? n : null;

    protected static string? ReadFile(string file)
    {
        try
        {
            return File.ReadAllText(file);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>cgroupfs files take one write of the whole value; the kernel's refusal arrives as an IOException.</summary>
    protected static void WriteFile(string file, string value)
    {
        using var stream = new FileStream(file, FileMode.Open, FileAccess.Write, FileShare.ReadWrite, bufferSize: 0);
        stream.Write(System.Text.Encoding.ASCII.GetBytes(value));
    }
}
