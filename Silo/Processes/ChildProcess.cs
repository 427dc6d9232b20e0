using System.Diagnostics;
using Granary.Logs;

namespace Granary.Silo.Processes;

/// <summary>What to run: a shell command line, where, and with exactly which environment.</summary>
public sealed record ChildProcessStart(
    string Command,
    string WorkingDirectory,
    IReadOnlyDictionary<string, string> Environment);

/// <summary>
/// A shell command run as the leader of its own session and process group, so that stopping it
/// reaches every process it spawned. A watchdog inside the group holds a pipe from this process:
/// if the silo dies, even by SIGKILL, the pipe closes and the watchdog takes the group down with it.
/// </summary>
public sealed class ChildProcess : IDisposable
{
    // $1 is the user's command. The pipe moves to fd 3 because a shell without job control gives a
    // background job /dev/null as stdin. The watchdog ignores SIGTERM so it survives the group-wide TERM
    // it sends, then escalates to KILL. It writes nowhere, so it never holds the output pipes open;
    // the command gets /dev/null as stdin and never sees the pipe.
    private const string Wrapper =
        "exec 3<&0 </dev/null; ( trap '' TERM; cat <&3; kill -TERM 0; sleep 5; kill -KILL 0 ) >/dev/null 2>&1 & exec 3<&-; exec /bin/sh -c \"$1\"";

    private readonly Process _process;

    private ChildProcess(Process process, Task<int> exited)
    {
        _process = process;
        Exited = exited;
        StartTicks = PosixSignals.ProcessStartTicks(process.Id);
    }

    /// <summary>The leader's pid, which is also the process group and session id.</summary>
    public int Pid => _process.Id;

    /// <summary>Kernel start time of the leader, recorded so a later run can recognise it.</summary>
    public long? StartTicks { get; }

    /// <summary>Completes with the command's exit code (128 + signal when a signal ended it).</summary>
    public Task<int> Exited { get; }

    /// <summary>Starts the command. Each output line goes to <paramref name="onLine"/> as it is written.</summary>
    public static ChildProcess Start(ChildProcessStart start, Action<LogStream, string> onLine)
    {
        var info = new ProcessStartInfo("setsid")
        {
            WorkingDirectory = start.WorkingDirectory,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { "/bin/sh", "-c", Wrapper, "granary-child", start.Command })
        {
            info.ArgumentList.Add(argument);
        }

        // Never inherit the silo's environment: it holds secrets such as the admin token.
        info.Environment.Clear();
        foreach (var (key, value) in start.Environment)
        {
            info.Environment[key] = value;
        }

        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        var exited = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        process.Exited += (_, _) => exited.TrySetResult();
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) onLine(LogStream.Out, e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) onLine(LogStream.Err, e.Data); };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return new ChildProcess(process, ExitCodeAsync(process, exited.Task));
    }

    private static async Task<int> ExitCodeAsync(Process process, Task exited)
    {
        // The exit is the kernel's word, not the pipes' end: a background child that kept stdout open
        // must not hide a crash. The pipes get a moment to drain so the last lines are not lost.
        await exited;
        var code = process.ExitCode;
        await Task.WhenAny(process.WaitForExitAsync(), Task.Delay(TimeSpan.FromMilliseconds(500)));
        return code;
    }

    /// <summary>
    /// SIGTERM to the whole group, SIGKILL to what is left after <paramref name="grace"/>.
    /// Also called after the leader exited on its own, to remove anything it left running.
    /// </summary>
    public async Task<int> StopAsync(TimeSpan grace)
    {
        PosixSignals.SignalGroup(Pid, PosixSignals.SigTerm);
        using var timeout = new CancellationTokenSource(grace);
        try
        {
            await Exited.WaitAsync(timeout.Token);
            while (PosixSignals.GroupExists(Pid) && !timeout.IsCancellationRequested)
            {
                await Task.Delay(50, CancellationToken.None);
                // The leader is gone; only the watchdog or stragglers remain: no need to wait them out.
                PosixSignals.SignalGroup(Pid, PosixSignals.SigKill);
            }
        }
        catch (OperationCanceledException)
        {
        }

        PosixSignals.SignalGroup(Pid, PosixSignals.SigKill);
        var code = await Exited.WaitAsync(TimeSpan.FromSeconds(5));
        // A KILL takes each member of the group as it next runs, so the leader's exit can be seen while one of its
        // children still holds a port or a file: "stopped" must mean gone, so wait for them (briefly, bounded).
        for (var waited = 0; waited < 40 && PosixSignals.GroupExists(Pid); waited++)
        {
            await Task.Delay(25, CancellationToken.None);
        }

        return code;
    }

    /// <summary>Closes the watchdog's pipe, exactly what the silo's death does; for tests of that path.</summary>
    internal void SimulateParentDeath() => _process.StandardInput.Close();

    public void Dispose()
    {
        PosixSignals.SignalGroup(Pid, PosixSignals.SigKill);
        // Disposing before the exit is observed would lose the exit code; the KILL makes that prompt.
        Exited.ContinueWith(_ => _process.Dispose(), TaskScheduler.Default);
    }
}
