namespace Granary.Silo.Dea.Isolation;

/// <summary>A runtime as the silo finds it on its PATH: the command, where PATH has it, and where that finally resolves.</summary>
public sealed record RuntimeLocation(string Name, string OnPath, string Resolved);

/// <summary>What of the host an instance sees, found once when the node starts.</summary>
public sealed record HostView(
    IReadOnlyList<HostEntry> System,
    IReadOnlyList<string> Etc,
    IReadOnlyList<string> ReadOnly,
    string Path,
    IReadOnlyList<string> Notes)
{
    /// <summary>Top-level system directories shown read-only (or as the symlinks they are on merged-/usr systems).</summary>
    public static readonly string[] SystemDirectories = ["/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32"];

    /// <summary>
    /// A minimal /etc: name resolution, TLS roots, time zone, MIME types, the dynamic linker's cache, alternatives
    /// (the symlinks behind many commands), .NET's install location. No passwd, shadow, or anything of other services.
    /// </summary>
    public static readonly string[] EtcEntries =
    [
        "/etc/resolv.conf", "/etc/hosts", "/etc/host.conf", "/etc/nsswitch.conf", "/etc/gai.conf", "/etc/protocols",
        "/etc/services", "/etc/ssl", "/etc/ca-certificates", "/etc/ca-certificates.conf", "/etc/pki", "/etc/crypto-policies",
        "/etc/localtime", "/etc/timezone", "/etc/mime.types", "/etc/ld.so.cache", "/etc/ld.so.conf", "/etc/ld.so.conf.d",
        "/etc/alternatives", "/etc/os-release", "/etc/debian_version", "/etc/dotnet",
    ];

    /// <summary>The commands apps are started with; each must resolve to something an instance can run.</summary>
    public static readonly string[] Runtimes = ["node", "npm", "python3", "dotnet"];

    private const string SystemPath = "/usr/local/bin:/usr/bin:/bin";

    /// <summary>
    /// Which runtimes need a read-only mount of their own and what PATH instances get. Pure. A runtime under the system
    /// directories is already there; one elsewhere (/opt/node/bin/node) brings its prefix (/opt/node) when every
    /// directory on the way lets others in (<paramref name="reachable"/>); one under a private home (pyenv's shims in
    /// /root) cannot be shown without showing that home, so instances get the system's instead, and a note says so.
    /// </summary>
    public static (IReadOnlyList<string> Mounts, string Path, IReadOnlyList<string> Notes) PlanRuntimes(
        IEnumerable<RuntimeLocation> runtimes, Func<string, bool> reachable, Func<string, bool> existsInSystem)
    {
        var mounts = new List<string>();
        var pathDirs = new List<string>();
        var notes = new List<string>();
        foreach (var runtime in runtimes)
        {
            var onPathDir = global::System.IO.Path.GetDirectoryName(runtime.OnPath)!;
            if (IsSystem(runtime.Resolved) && IsSystem(runtime.OnPath))
            {
                continue;
            }

            if (!reachable(runtime.Resolved) || !reachable(runtime.OnPath))
            {
                notes.Add(existsInSystem(runtime.Name)
                    ? $"{runtime.Name} resolves to {runtime.OnPath}, which instance users cannot reach: instances use the system's {runtime.Name}"
                    : $"{runtime.Name} resolves to {runtime.OnPath}, which instance users cannot reach: instances have no {runtime.Name}");
                continue;
            }

            var resolvedDir = global::System.IO.Path.GetDirectoryName(runtime.Resolved)!;
            var prefix = global::System.IO.Path.GetFileName(resolvedDir) == "bin" ? global::System.IO.Path.GetDirectoryName(resolvedDir)! : resolvedDir;
            if (!IsSystem(runtime.Resolved) && prefix != "/" && !mounts.Contains(prefix))
            {
                mounts.Add(prefix);
            }

            if (!IsSystem(runtime.OnPath) && !pathDirs.Contains(onPathDir))
            {
                pathDirs.Add(onPathDir);
            }
        }

        // A mount inside another is already shown by it.
        mounts = mounts.Where(m => !mounts.Any(o => o != m && m.StartsWith(o + "/", StringComparison.Ordinal))).ToList();
        return (mounts, string.Join(':', pathDirs.Append(SystemPath)), notes);
    }

    public static bool IsSystem(string path) =>
        SystemDirectories.Any(d => path == d || path.StartsWith(d + "/", StringComparison.Ordinal));
}
