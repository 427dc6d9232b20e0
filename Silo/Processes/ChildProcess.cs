using System.Diagnostics;
using Granary.Logs;

namespace Granary.Silo.Processes;

/// <summary>What to run: a shell command line, where, and with exactly which environment.</summary>
/// <param name="Containment">When set, the command runs inside that container (see <see cref="ChildContainment"/>).</param>
public sealed record ChildProcessStart(
    string Command,
    string WorkingDirectory,
    IReadOnlyDictionary<string, string> Environment,
    ChildContainment? Containment = null);

/// <summary>
/// A shell command run as the leader of its own session and process group, so that stopping it
/// reaches every process it spawned. A watchdog inside the group holds a pipe from this process:
/// if the silo dies, even by SIGKILL, the pipe closes and the watchdog takes the group down with it
/// (and a contained command's whole container, which a process that left the group cannot escape).
/// </summary>
public sealed class ChildProcess : IDisposable
{
    private const string WatchdogMarker = "granary-child";

    // $1 is the user's command. The pipe moves to fd 3 because a shell without job control gives a
    // background job /dev/null as stdin. The watchdog ignores SIGTERM so it survives the group-wide TERM
    // it sends, then escalates to KILL. It waits with the shell's own read, so it is one process whose
    // arguments still name it (see IsWatchdog). It writes nowhere, so it never holds the output pipes open;
    // the command gets /dev/null as stdin and never sees the pipe.
    private const string Wrapper =
        "exec 3<&0 </dev/null; ( trap '' TERM; while read -r _ <&3; do :; done; kill -TERM 0; sleep 5; kill -KILL 0 ) >/dev/null 2>&1 & "
        + "exec 3<&-; exec /bin/sh -c \"$1\"";

    // Contained: $1 the command, $2 the take-down script, then the files to join up to "--", then the launcher.
    // The watchdog is forked before the wrapper joins the container, so taking the container down never kills it
    // midway. Joining comes before the launcher runs, so nothing of the app ever runs outside.
    private const string ContainedWrapper =
        "exec 3<&0 </dev/null; ( trap '' TERM; while read -r _ <&3; do :; done; eval \"$2\"; kill -KILL 0 ) >/dev/null 2>&1 & "
        + "exec 3<&-; cmd=$1; shift 2; "
        + "while [ \"$1\" != -- ]; do echo $$ >\"$1\" || { echo \"granary: cannot enter $1\" >&2; exit 125; }; shift; done; shift; "
        + "exec \"$@\" \"$cmd\"";

    private readonly Process _process;
    private readonly IProcessContainer? _container;

    private ChildProcess(Process process, Task<int> exited, IProcessContainer? container)
    {
        _process = process;
        _container = container;
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
        foreach (var argument in Arguments(start))
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
        return new ChildProcess(process, ExitCodeAsync(process, exited.Task), start.Containment?.Container);
    }

    private static IEnumerable<string> Arguments(ChildProcessStart start)
    {
        if (start.Containment is not { } contained)
        {
            return ["/bin/sh", "-c", Wrapper, WatchdogMarker, start.Command];
        }

        return ["/bin/sh", "-c", ContainedWrapper, WatchdogMarker, start.Command, contained.TakeDown,
            .. contained.JoinFiles, "--", .. contained.Launcher];
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
    /// SIGTERM to every process of the command, SIGKILL to what is left after <paramref name="grace"/>.
    /// Also called after the leader exited on its own, to remove anything it left running: then nothing is waited for.
    /// </summary>
    public async Task<int> StopAsync(TimeSpan grace)
    {
        // The leader may be a shell (sh -c) that dies of the TERM at once while the app's own process still runs its
        // handler: the grace is measured on the app's processes, not on the leader.
        var running = !Exited.IsCompleted;
        SignalApp(PosixSignals.SigTerm);
        var waited = Stopwatch.StartNew();
        while (running && AppAlive() && waited.Elapsed < grace)
        {
            await Task.Delay(50, CancellationToken.None);
        }

        if (_container is not null)
        {
            await _container.KillAllAsync();
        }

        PosixSignals.SignalGroup(Pid, PosixSignals.SigKill);
        var code = await Exited.WaitAsync(TimeSpan.FromSeconds(5));
        // A KILL takes each member of the group as it next runs, so the leader's exit can be seen while one of its
        // children still holds a port or a file: "stopped" must mean gone, so wait for them (briefly, bounded).
        for (var i = 0; i < 40 && PosixSignals.GroupExists(Pid); i++)
        {
            await Task.Delay(25, CancellationToken.None);
        }

        return code;
    }

    private void SignalApp(int signal)
    {
        if (_container is null)
        {
            PosixSignals.SignalGroup(Pid, signal); // the watchdog ignores TERM
            return;
        }

        // Not the leader: in a container it is the launcher, whose death would not end the app but hide its exit.
        foreach (var pid in _container.Processes().Where(p => p != Pid))
        {
            PosixSignals.Signal(pid, signal);
        }
    }

    private bool AppAlive() => _container is not null
        ? _container.Processes().Count > 0
        : PosixSignals.GroupMembers(Pid).Any(pid => !IsWatchdog(pid));

    /// <summary>The watchdog is a fork of the wrapper that never execs, so its arguments are still the wrapper's.</summary>
    private static bool IsWatchdog(int pid) => PosixSignals.CommandLine(pid) is [_, "-c", _, WatchdogMarker, ..];

    /// <summary>Closes the watchdog's pipe, exactly what the silo's death does; for tests of that path.</summary>
    internal void SimulateParentDeath() => _process.StandardInput.Close();

    public void Dispose()
    {
        PosixSignals.SignalGroup(Pid, PosixSignals.SigKill);
        // Disposing before the exit is observed would lose the exit code; the KILL makes that prompt.
        Exited.ContinueWith(_ => _process.Dispose(), TaskScheduler.Default);
    }
}
