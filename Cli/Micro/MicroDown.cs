using System.Diagnostics;
using Granary.Cli.Output;

namespace Granary.Cli.Micro;

/// <summary>
/// <c>micro down</c>: stops the edge, then the silo (which stops its app instances itself and saves its state),
/// then the micro cloud's PostgreSQL, last because the silo writes to it while it stops.
/// </summary>
internal static class MicroDown
{
    private static readonly TimeSpan GracePeriod = TimeSpan.FromSeconds(30);

    /// <summary>Stops whatever runs; returns how many processes were stopped.</summary>
    public static async Task<int> StopAllAsync(CliConsole console, MicroPaths paths, bool quiet, CancellationToken ct,
        Func<string, string?>? env = null)
    {
        var stopped = 0;
        foreach (var (what, pidFile, marker) in new[]
                 {
                     ("edge", paths.EdgePid, MicroUp.EdgeMarker),
                     ("service broker", paths.BrokerPid, MicroBroker.Marker),
                     ("silo", paths.SiloPid, MicroUp.SiloMarker),
                 })
        {
            if (ProcessProbe.ReadPid(pidFile) is { } pid && ProcessProbe.IsRunning(pid, marker))
            {
                var graceful = await StopAsync(pid, marker, ct);
                if (!quiet)
                    console.Line($"Stopped the {what} (pid {pid}{(graceful ? "" : ", killed after 30 s")})");
                stopped++;
            }
            // A pid file whose process is gone (or whose pid now belongs to another program) is stale either way.
            if (File.Exists(pidFile))
                File.Delete(pidFile);
        }

        if (await MicroDatabase.StopAsync(paths, env ?? Environment.GetEnvironmentVariable, ct))
        {
            if (!quiet)
                console.Line($"Stopped PostgreSQL (data kept in {paths.PostgresData})");
            stopped++;
        }
        return stopped;
    }

    /// <summary>SIGTERM, a grace period, then SIGKILL to the whole process group. True if it exited in time.</summary>
    internal static async Task<bool> StopAsync(int pid, string marker, CancellationToken ct)
    {
        ProcessProbe.Signal(pid, ProcessProbe.SigTerm);
        var clock = Stopwatch.StartNew();
        while (ProcessProbe.IsRunning(pid, marker) && clock.Elapsed < GracePeriod)
            await Task.Delay(100, ct);
        var graceful = !ProcessProbe.IsRunning(pid, marker);
        // setsid made the process its group's leader, so the group holds anything it left behind. The
        // kernel does not reuse a pid while its group has members, so this reaches nothing else.
        ProcessProbe.Signal(-pid, ProcessProbe.SigKill);
        if (!graceful && ProcessProbe.IsRunning(pid, marker))
            ProcessProbe.Signal(pid, ProcessProbe.SigKill);
        return graceful;
    }
}
