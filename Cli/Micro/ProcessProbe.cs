using System.Runtime.InteropServices;

namespace Granary.Cli.Micro;

/// <summary>Processes by pid, guarded against pid reuse by what their command line names.</summary>
internal static partial class ProcessProbe
{
    public const int SigTerm = 15;
    public const int SigKill = 9;

    /// <summary>True if <paramref name="pid"/> is alive and its command line contains <paramref name="marker"/>.</summary>
    public static bool IsRunning(int pid, string marker)
    {
        try
        {
            // A zombie has an empty cmdline, so it reads as gone, which it is for our purposes.
            var cmdline = File.ReadAllText($"/proc/{pid}/cmdline");
            return cmdline.Contains(marker, StringComparison.Ordinal);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    public static int? ReadPid(string file)
    {
        try
        {
            return int.TryParse(File.ReadAllText(file).Trim(), out var pid) && pid > 1 ? pid : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>The running pid recorded in <paramref name="pidFile"/>, or null (no file, dead, or reused).</summary>
    public static int? RunningFromFile(string pidFile, string marker) =>
        ReadPid(pidFile) is { } pid && IsRunning(pid, marker) ? pid : null;

    /// <summary>Sends a signal; a negative pid addresses the process group.</summary>
    public static bool Signal(int pid, int signal) => Kill(pid, signal) == 0;

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);
}
