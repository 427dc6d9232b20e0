namespace Granary.Tests.Infrastructure;

/// <summary>Looks for live processes by their environment, the way an operator would with /proc.</summary>
public static class ProcessTable
{
    /// <summary>Pids of live processes whose environment contains NAME=VALUE.</summary>
    public static List<int> WithEnv(string name, string value)
    {
        var needle = $"{name}={value}";
        var pids = new List<int>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid))
            {
                continue;
            }

            try
            {
                var environ = File.ReadAllText(Path.Combine(dir, "environ"));
                if (environ.Split('\0').Contains(needle) && !IsZombie(dir))
                {
                    pids.Add(pid);
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
            }
        }

        return pids;
    }

    private static bool IsZombie(string dir)
    {
        var stat = File.ReadAllText(Path.Combine(dir, "stat"));
        return stat[(stat.LastIndexOf(')') + 2)] == 'Z';
    }
}
