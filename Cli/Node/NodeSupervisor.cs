using System.Diagnostics;
using System.Globalization;
using Granary.Cli.Micro;
using Granary.Cli.Output;

namespace Granary.Cli.Node;

/// <summary>
/// <c>granary node run</c>: a small detached watchdog that keeps this node's processes (silo, and the edge on a
/// router) running. Each child gets its own session, pid file and log file, so a crashed or killed supervisor leaves
/// them running and the next one adopts them from their pid files. A child that exits is started again after
/// <see cref="RestartBackoff"/>; on SIGTERM the supervisor stops the edge, then the silo (which evacuates), then exits.
/// On machines with systemd, <c>granary node systemd</c> prints units that do the same with Restart=always.
/// </summary>
internal sealed class NodeSupervisor(NodePaths paths, IReadOnlyList<NodeProcess> processes, CliConsole log)
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(250);

    public async Task RunAsync(CancellationToken stopping)
    {
        Say($"supervising {string.Join(", ", processes.Select(p => p.Name))}");
        var loops = processes.Select(p => SuperviseAsync(p, stopping)).ToArray();
        try
        {
            await Task.WhenAll(loops);
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
        }

        // The edge first: it only reads; the silo then drains its instances to other nodes while the edges still route.
        foreach (var process in processes.Reverse())
        {
            if (ProcessProbe.RunningFromFile(paths.PidFile(process.Name), process.Marker) is { } pid)
            {
                Say($"stopping {process.Name} (pid {pid})");
                var graceful = await MicroDown.StopAsync(pid, process.Marker, CancellationToken.None);
                Say($"{process.Name} stopped{(graceful ? "" : " (killed after the grace period)")}");
            }
            File.Delete(paths.PidFile(process.Name));
        }
        Say("stopped");
    }

    private async Task SuperviseAsync(NodeProcess process, CancellationToken stopping)
    {
        var exitsInARow = 0;
        while (!stopping.IsCancellationRequested)
        {
            var pidFile = paths.PidFile(process.Name);
            var pid = ProcessProbe.RunningFromFile(pidFile, process.Marker);
            if (pid is { } adopted)
            {
                Say($"{process.Name} already runs (pid {adopted}): watching it");
            }
            else
            {
                try
                {
                    pid = await DetachedProcess.StartAsync(process.Program, process.Arguments, paths.LogFile(process.Name), pidFile,
                        process.FullEnvironment, stopping);
                    Say($"started {process.Name} (pid {pid}), log: {paths.LogFile(process.Name)}");
                }
                catch (CliException e)
                {
                    // Could not even start (a missing program, a full disk): try again later like any other exit.
                    exitsInARow++;
                    Say($"could not start {process.Name}: {e.Message}; trying again in {RestartBackoff.Delay(exitsInARow).TotalSeconds:0} s");
                    await Task.Delay(RestartBackoff.Delay(exitsInARow), stopping);
                    continue;
                }
            }

            var ran = Stopwatch.StartNew();
            while (ProcessProbe.IsRunning(pid.Value, process.Marker))
                await Task.Delay(PollInterval, stopping);

            exitsInARow = RestartBackoff.NextStreak(exitsInARow, ran.Elapsed);
            var delay = RestartBackoff.Delay(exitsInARow);
            Say(string.Create(CultureInfo.InvariantCulture,
                $"{process.Name} (pid {pid}) exited after {ran.Elapsed.TotalSeconds:0.0} s; starting it again in {delay.TotalSeconds:0} s ({exitsInARow} exit(s) in a row)"));
            await Task.Delay(delay, stopping);
        }
    }

    private void Say(string message) =>
        log.Line($"{DateTimeOffset.UtcNow:yyyy-MM-ddTHH:mm:ss.fffZ} supervisor: {message}");
}
