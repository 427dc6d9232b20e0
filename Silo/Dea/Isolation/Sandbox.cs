using Granary.Silo.Processes;

namespace Granary.Silo.Dea.Isolation;

/// <summary>One instance's isolation: its uid, its cgroup, and how its start command is launched inside them.</summary>
public sealed class Sandbox(ICgroupDriver cgroups, string cgroup, int uid, int memoryMb, string path) : IProcessContainer
{
    public int Uid => uid;

    /// <summary>The cgroup, relative to each hierarchy's root.</summary>
    public string Cgroup => cgroup;

    /// <summary>The instance's directory, HOME and working directory as the app sees it.</summary>
    public string AppDirectory => SandboxArguments.Home;

    public string TmpDirectory => "/tmp";

    /// <summary>PATH inside: the runtimes the sandbox shows, then the system's directories.</summary>
    public string Path => path;

    public ChildContainment Containment { get; internal set; } = null!;

    public int MemoryMb => memoryMb;

    /// <summary>True once the kernel's OOM killer has killed a process of this instance.</summary>
    public bool WasOomKilled => cgroups.OomKills(cgroup) > 0;

    /// <summary>What a crash caused by the memory limit is reported as.</summary>
    public string OutOfMemoryReason => $"out of memory (limit {(memoryMb % 1024 == 0 ? $"{memoryMb / 1024}G" : $"{memoryMb}M")})";

    public IReadOnlyList<int> Processes() => cgroups.Processes(cgroup);

    public Task KillAllAsync() => cgroups.KillAsync(cgroup);
}
