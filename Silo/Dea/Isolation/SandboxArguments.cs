namespace Granary.Silo.Dea.Isolation;

/// <summary>A top-level system entry of the host (/usr, /lib64, /bin → usr/bin on merged-/usr systems).</summary>
public sealed record HostEntry(string Path, string? SymlinkTarget);

/// <summary>Everything one instance's sandbox is made of; host paths, except where a field says otherwise.</summary>
/// <param name="System">Shown read-only at the same paths (or as the same symlinks).</param>
/// <param name="Etc">The few /etc entries an app needs (resolver, certificates, time zone, ...), read-only.</param>
/// <param name="ReadOnly">Runtimes outside the system directories, and what the operator adds, read-only at the same paths.</param>
/// <param name="Cgroup">The instance's own cgroup directories and where they appear, read-only.</param>
public sealed record SandboxSpec(
    string AppDirectory,
    string TmpDirectory,
    string PasswdFile,
    string GroupFile,
    int Uid,
    int Gid,
    string Hostname,
    IReadOnlyList<HostEntry> System,
    IReadOnlyList<string> Etc,
    IReadOnlyList<string> ReadOnly,
    IReadOnlyList<(string Host, string Sandbox)> Cgroup);

/// <summary>
/// The command line that runs an instance's start command in its sandbox. Pure.
/// <para>bubblewrap runs as root (the silo's child) and makes new PID, mount, IPC, UTS and cgroup namespaces, then
/// setpriv drops to the instance's uid with no capabilities and no_new_privs, and execs <c>/bin/sh -c</c> (the
/// caller appends the command). Why not drop privileges first and let bwrap make a user namespace, as unprivileged
/// bwrap does: bwrap then resolves every bind source as the instance's uid, and an instance directory under a home
/// only root may enter (/root/.granary) cannot be reached; and without a user namespace, the kernel's uid is the
/// instance's own in every check, with nothing in a namespace's capabilities to lean on.</para>
/// <para>No --die-with-parent: bwrap's monitor exits as soon as the app's first process does, and the app's other
/// processes (a SIGTERM handler still running) must get their grace; the cgroup, not the process tree, ends them.</para>
/// </summary>
public static class SandboxArguments
{
    /// <summary>The instance directory inside, its HOME and working directory (Cloud Foundry's /home/vcap/app).</summary>
    public const string Home = "/home/granary/app";

    public static IReadOnlyList<string> Build(SandboxSpec spec, string bwrap = "bwrap", string setpriv = "setpriv")
    {
        var args = new List<string>
        {
            // A session of its own: TIOCSTI cannot push input into a terminal outside it.
            bwrap, "--unshare-pid", "--unshare-ipc", "--unshare-uts", "--unshare-cgroup-try", "--new-session", "--hostname", spec.Hostname,
            // bwrap's own PID 1 keeps only what setpriv needs to drop to the instance's uid.
            "--cap-drop", "ALL", "--cap-add", "CAP_SETUID", "--cap-add", "CAP_SETGID", "--cap-add", "CAP_SETPCAP",
        };
        foreach (var entry in spec.System)
        {
            args.AddRange(entry.SymlinkTarget is { } target ? ["--symlink", target, entry.Path] : ["--ro-bind", entry.Path, entry.Path]);
        }

        args.AddRange(["--proc", "/proc", "--dev", "/dev", "--perms", "1777", "--tmpfs", "/dev/shm"]);
        var mounts = new List<(string Option, string Source, string Destination)>();
        mounts.AddRange(spec.Etc.Select(e => ("--ro-bind-try", e, e)));
        mounts.Add(("--ro-bind", spec.PasswdFile, "/etc/passwd"));
        mounts.Add(("--ro-bind", spec.GroupFile, "/etc/group"));
        mounts.AddRange(spec.ReadOnly.Select(p => ("--ro-bind", p, p)));
        mounts.AddRange(spec.Cgroup.Select(c => ("--ro-bind", c.Host, c.Sandbox)));
        mounts.Add(("--bind", spec.AppDirectory, Home));
        mounts.Add(("--bind", spec.TmpDirectory, "/tmp"));

        // bwrap would make missing parents owner-only (root's), hiding what is mounted below them from the instance.
        var parents = mounts.Select(m => m.Destination).Append("/var/tmp").SelectMany(Ancestors)
            .Distinct(StringComparer.Ordinal).OrderBy(p => p.Count(c => c == '/')).ThenBy(p => p, StringComparer.Ordinal);
        foreach (var parent in parents)
        {
            args.AddRange(["--perms", "0755", "--dir", parent]);
        }

        foreach (var (option, source, destination) in mounts)
        {
            args.AddRange([option, source, destination]);
        }

        args.AddRange(["--symlink", "../tmp", "/var/tmp", "--chdir", Home, "--"]);
        args.AddRange([setpriv, "--reuid", spec.Uid.ToString(), "--regid", spec.Gid.ToString(), "--clear-groups",
            "--no-new-privs", "--inh-caps=-all", "--bounding-set=-all", "--", "/bin/sh", "-c"]);
        return args;
    }

    /// <summary>The directories above a path, outermost first, without the root: /a/b/c → /a, /a/b.</summary>
    private static IEnumerable<string> Ancestors(string path)
    {
        for (var parent = Path.GetDirectoryName(path); parent is not null && parent != "/"; parent = Path.GetDirectoryName(parent))
        {
            yield return parent;
        }
    }

    /// <summary>A host name for the instance (UTS namespace): APP-INDEX, in the characters a host name may hold.</summary>
    public static string HostnameFor(string appName, int index)
    {
        var name = new string(appName.ToLowerInvariant().Select(c => char.IsAsciiLetterOrDigit(c) ? c : '-').ToArray()).Trim('-');
        var suffix = $"-{index}";
        return (name.Length == 0 ? "app" : name[..Math.Min(name.Length, 63 - suffix.Length)]) + suffix;
    }
}
