namespace Granary.Silo.Dea.Isolation;

/// <summary>
/// How this node isolates instances, as found when it started. <see cref="Full"/>: each instance has its own uid,
/// PID/mount/IPC/UTS namespaces and a cgroup with its limits. <see cref="None"/>: instances run as the silo's user in
/// the host's namespaces, in a process group only; <see cref="Problems"/> says what is missing.
/// </summary>
public sealed record NodeIsolation(string Level, IReadOnlyList<string> Problems, string Description)
{
    public const string Full = "full";
    public const string None = "none";

    public bool IsIsolated => Level == Full;
}
