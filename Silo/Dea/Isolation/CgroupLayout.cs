namespace Granary.Silo.Dea.Isolation;

public enum CgroupVersion
{
    V1 = 1,
    V2 = 2,
}

/// <summary>
/// Where this machine's cgroup controllers are: cgroup v2 has one hierarchy holding them all, v1 a hierarchy per
/// controller (or per group of co-mounted controllers, like cpu,cpuacct). Found from /proc/self/mountinfo.
/// </summary>
/// <param name="Mounts">v1: controller → the mount point of its hierarchy; v2: every available controller → the one mount.</param>
public sealed record CgroupLayout(CgroupVersion Version, IReadOnlyDictionary<string, string> Mounts)
{
    /// <summary>Controllers an instance cannot be limited without.</summary>
    public static readonly string[] Required = ["memory", "pids"];

    public bool Has(string controller) => Mounts.ContainsKey(controller);

    /// <summary>
    /// Chooses v2 when a cgroup2 hierarchy offers the required controllers, else v1 when each is mounted. Pure:
    /// <paramref name="readControllers"/> reads a cgroup2 mount's cgroup.controllers (null when unreadable).
    /// Returns null with the reason when neither works.
    /// </summary>
    public static (CgroupLayout? Layout, string? Problem) Detect(IEnumerable<string> mountInfo, Func<string, string?> readControllers)
    {
        var v1 = new Dictionary<string, string>(StringComparer.Ordinal);
        string? v2Mount = null;
        HashSet<string> v2Controllers = [];
        foreach (var line in mountInfo)
        {
            if (Parse(line) is not { } mount || mount.Root != "/")
            {
                continue; // a bind of a subtree (inside some containers) is not a hierarchy we can manage
            }

            if (mount.Type == "cgroup2" && v2Mount is null)
            {
                var controllers = (readControllers(mount.Point) ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries);
                v2Mount = mount.Point;
                v2Controllers = [.. controllers];
            }
            else if (mount.Type == "cgroup")
            {
                foreach (var option in mount.SuperOptions.Split(','))
                {
                    v1.TryAdd(option, mount.Point);
                }
            }
        }

        if (v2Mount is not null && Required.All(v2Controllers.Contains))
        {
            return (new CgroupLayout(CgroupVersion.V2, v2Controllers.ToDictionary(c => c, _ => v2Mount, StringComparer.Ordinal)), null);
        }

        if (Required.All(v1.ContainsKey))
        {
            string[] known = ["memory", "pids", "cpu", "cpuacct", "freezer"];
            return (new CgroupLayout(CgroupVersion.V1, known.Where(v1.ContainsKey).ToDictionary(c => c, c => v1[c], StringComparer.Ordinal)), null);
        }

        var missing = Required.Where(c => !v1.ContainsKey(c) && !v2Controllers.Contains(c));
        return (null, v2Mount is null && v1.Count == 0
            ? "no cgroup file system is mounted"
            : $"the cgroup controllers {string.Join(", ", missing)} are not available (neither a cgroup2 hierarchy nor v1 mounts offer them)");
    }

    private static (string Root, string Point, string Type, string SuperOptions)? Parse(string line)
    {
        // ID PARENT MAJ:MIN ROOT MOUNTPOINT OPTIONS [OPTIONAL...] - TYPE SOURCE SUPEROPTIONS
        var fields = line.Split(' ');
        var separator = Array.IndexOf(fields, "-");
        if (fields.Length < 7 || separator < 6 || separator + 3 >= fields.Length)
        {
            return null;
        }

        return (Unescape(fields[3]), Unescape(fields[4]), fields[separator + 1], fields[separator + 3]);
    }

    /// <summary>mountinfo writes space, tab, newline and backslash in paths as octal escapes.</summary>
    private static string Unescape(string path) =>
        path.Replace("\\040", " ").Replace("\\011", "\t").Replace("\\012", "\n").Replace("\\134", "\\");
}
