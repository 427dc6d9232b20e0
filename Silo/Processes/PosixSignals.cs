using System.Runtime.InteropServices;

namespace Granary.Silo.Processes;

/// <summary>Signals to whole process groups, which .NET's Process class cannot send.</summary>
internal static partial class PosixSignals
{
    public const int SigKill = 9;
    public const int SigTerm = 15;

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);

    /// <summary>Sends the signal to every process in the group; false when the group no longer exists.</summary>
    public static bool SignalGroup(int processGroupId, int signal) =>
        processGroupId > 1 && Kill(-processGroupId, signal) == 0;

    /// <summary>Sends the signal to one process; false when it no longer exists.</summary>
    public static bool Signal(int pid, int signal) => pid > 1 && Kill(pid, signal) == 0;

    /// <summary>
    /// True while any process of the group is alive. Zombies do not count: where PID 1 does not reap
    /// orphans (some container inits), a dead group's zombies would otherwise look alive forever.
    /// </summary>
    public static bool GroupExists(int processGroupId) => GroupMembers(processGroupId).Count > 0;

    /// <summary>The live (not zombie) processes of the group.</summary>
    public static List<int> GroupMembers(int processGroupId)
    {
        var members = new List<int>();
        if (processGroupId <= 1 || Kill(-processGroupId, 0) != 0)
        {
            return members;
        }

        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(dir), out var pid) && ReadStat(dir) is { } stat
                && stat.ProcessGroup == processGroupId && stat.State != 'Z')
            {
                members.Add(pid);
            }
        }

        return members;
    }

    /// <summary>A process's arguments (argv), or empty when it is gone.</summary>
    public static string[] CommandLine(int pid)
    {
        try
        {
            var text = File.ReadAllText($"/proc/{pid}/cmdline");
            return text.Length == 0 ? [] : text.TrimEnd('\0').Split('\0');
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return [];
        }
    }

    private static (char State, int ProcessGroup)? ReadStat(string procDirectory)
    {
        try
        {
            var stat = File.ReadAllText(Path.Combine(procDirectory, "stat"));
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return (fields[0][0], int.Parse(fields[2]));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
            return null;
        }
    }

    /// <summary>The kernel's start time of a process (clock ticks since boot), to tell it from a later process that reused its pid.</summary>
    public static long? ProcessStartTicks(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            // Field 2 (comm) may contain spaces and parentheses: parse after the last ')'.
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return long.Parse(fields[19]); // field 22 overall: starttime
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
            return null;
        }
    }
}
