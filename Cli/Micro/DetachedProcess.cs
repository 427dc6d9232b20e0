using System.Diagnostics;

namespace Granary.Cli.Micro;

/// <summary>
/// Starts a process in its own session (setsid) so it outlives the CLI and ignores the terminal's
/// Ctrl-C, with its output appended to a log file and its pid written to a pid file.
/// </summary>
internal static class DetachedProcess
{
    // sh writes its own pid, then execs the program: the pid in the file is the program's.
    private const string Launcher = "pidfile=$1; log=$2; shift 2; echo $$ > \"$pidfile\"; exec \"$@\" </dev/null >>\"$log\" 2>&1";

    public static async Task<int> StartAsync(string program, IEnumerable<string> args, string logFile, string pidFile,
        IReadOnlyDictionary<string, string> environment, CancellationToken ct)
    {
        File.Delete(pidFile);
        var start = new ProcessStartInfo("setsid") { UseShellExecute = false };
        foreach (var arg in new[] { "sh", "-c", Launcher, "granary-micro", pidFile, logFile, program }.Concat(args))
            start.ArgumentList.Add(arg);
        foreach (var (key, value) in environment)
            start.Environment[key] = value;
        using var process = Process.Start(start) ?? throw new CliException("could not start setsid (is util-linux installed?)");
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(10))
        {
            if (ProcessProbe.ReadPid(pidFile) is { } pid)
                return pid;
            if (process.HasExited && process.ExitCode != 0)
                throw new CliException($"could not start {Path.GetFileName(program)} (exit code {process.ExitCode}); see {logFile}");
            await Task.Delay(20, ct);
        }
        throw new CliException($"{Path.GetFileName(program)} did not start within 10 s; see {logFile}");
    }

    /// <summary>The dotnet host running this CLI, so the micro cloud uses the same runtime.</summary>
    public static string DotnetHost()
    {
        var self = Environment.ProcessPath;
        return self is not null && Path.GetFileNameWithoutExtension(self) == "dotnet" ? self : "dotnet";
    }
}
