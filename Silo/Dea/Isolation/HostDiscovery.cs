namespace Granary.Silo.Dea.Isolation;

/// <summary>Looks at this machine to find what <see cref="HostView"/> describes.</summary>
public static class HostDiscovery
{
    public static HostView Discover(string? path, IEnumerable<string> extraReadOnly)
    {
        var system = new List<HostEntry>();
        foreach (var directory in HostView.SystemDirectories)
        {
            var info = new DirectoryInfo(directory);
            if (info.Exists)
            {
                system.Add(new HostEntry(directory, info.LinkTarget));
            }
        }

        var etc = HostView.EtcEntries.Where(e => File.Exists(e) || Directory.Exists(e)).ToList();
        var runtimes = HostView.Runtimes.Select(name => Locate(name, path)).OfType<RuntimeLocation>();
        var (mounts, instancePath, notes) = HostView.PlanRuntimes(runtimes, ReachableByOthers,
            name => HostView.SystemDirectories.Any(d => File.Exists(Path.Combine(d, name)) || File.Exists(Path.Combine(d, "local", "bin", name))));
        var extra = extraReadOnly.Where(p => !string.IsNullOrWhiteSpace(p)).Select(Path.GetFullPath).Where(Directory.Exists);
        return new HostView(system, etc, [.. mounts, .. extra.Except(mounts)], instancePath, notes);
    }

    /// <summary>The first executable of that name on PATH, and where its symlinks end.</summary>
    private static RuntimeLocation? Locate(string name, string? path)
    {
        foreach (var directory in (path ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(directory, name);
            try
            {
                if (File.Exists(candidate) && (Mode(candidate) & (UnixFileMode.UserExecute | UnixFileMode.OtherExecute)) != 0)
                {
                    var resolved = File.ResolveLinkTarget(candidate, returnFinalTarget: true)?.FullName ?? Path.GetFullPath(candidate);
                    return new RuntimeLocation(name, Path.GetFullPath(candidate), resolved);
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
            }
        }

        return null;
    }

    private static UnixFileMode Mode(string path) => OperatingSystem.IsWindows() ? 0 : File.GetUnixFileMode(path);

    /// <summary>True when a user with no groups in common can reach the file: every directory above it lets others in.</summary>
    private static bool ReachableByOthers(string file)
    {
        try
        {
            for (var directory = Path.GetDirectoryName(file); directory is not null; directory = Path.GetDirectoryName(directory))
            {
                if ((Mode(directory) & UnixFileMode.OtherExecute) == 0)
                {
                    return false;
                }
            }

            return (Mode(file) & (UnixFileMode.OtherRead | UnixFileMode.OtherExecute)) != 0;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }
}
