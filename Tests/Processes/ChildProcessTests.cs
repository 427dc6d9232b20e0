using System.Collections.Concurrent;
using Granary.Logs;
using Granary.Silo.Processes;

namespace Granary.Tests.Processes;

public sealed class ChildProcessTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("granary-child-").FullName;
    private readonly ConcurrentQueue<(LogStream Stream, string Text)> _lines = new();

    private ChildProcess Start(string command) => ChildProcess.Start(
        new ChildProcessStart(command, _dir, new Dictionary<string, string> { ["PATH"] = "/usr/bin:/bin", ["GREETING"] = "hi" }),
        (stream, text) => _lines.Enqueue((stream, text)));

    [Fact]
    public async Task Start_Command_OutputLinesAndExitCode()
    {
        using var child = Start("echo $GREETING; echo oops >&2; exit 7");

        Assert.Equal(7, await child.Exited.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Contains((LogStream.Out, "hi"), _lines);
        Assert.Contains((LogStream.Err, "oops"), _lines);
    }

    [Fact]
    public async Task Start_SiloEnvironment_NotInherited()
    {
        Environment.SetEnvironmentVariable("GRANARY_ADMIN_TOKEN_TEST", "secret");
        using var child = Start("echo \"token=[$GRANARY_ADMIN_TOKEN_TEST]\"");

        await child.Exited.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Contains((LogStream.Out, "token=[]"), _lines);
    }

    [Fact]
    public async Task StopAsync_CommandWithBackgroundChildren_WholeGroupGone()
    {
        using var child = Start("sleep 300 & sleep 300 & echo started; wait");
        await WaitForLineAsync("started");

        await child.StopAsync(TimeSpan.FromSeconds(5));

        Assert.False(PosixSignals.GroupExists(child.Pid));
    }

    [Fact]
    public async Task StopAsync_CommandIgnoringTerm_KilledAfterGrace()
    {
        using var child = Start("trap '' TERM; echo ready; while true; do sleep 0.1; done");
        await WaitForLineAsync("ready");

        var code = await child.StopAsync(TimeSpan.FromMilliseconds(500));

        Assert.Equal(128 + 9, code);
        Assert.False(PosixSignals.GroupExists(child.Pid));
    }

    [Fact]
    public async Task StopAsync_AppBehindAShellHandlingTerm_GetsTheGrace()
    {
        // dash does not exec the last command of sh -c: the shell dies of the TERM at once, the app runs its handler.
        using var child = Start("python3 -c 'import signal, sys, time\n"
            + "def h(*_):\n    time.sleep(1); print(\"handled\", flush=True); sys.exit(0)\n"
            + "signal.signal(signal.SIGTERM, h); print(\"ready\", flush=True)\nwhile True: time.sleep(0.1)'; echo after");
        await WaitForLineAsync("ready");

        await child.StopAsync(TimeSpan.FromSeconds(10));

        Assert.False(PosixSignals.GroupExists(child.Pid));
        await WaitForLineAsync("handled"); // its last output may still be on its way through the pipe
    }

    [Fact]
    public async Task ParentDeath_WatchdogTakesTheGroupDown()
    {
        using var child = Start("sleep 300 & echo ready; wait");
        await WaitForLineAsync("ready");

        child.SimulateParentDeath();

        await child.Exited.WaitAsync(TimeSpan.FromSeconds(10));
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (PosixSignals.GroupExists(child.Pid) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }

        Assert.False(PosixSignals.GroupExists(child.Pid));
    }

    private async Task WaitForLineAsync(string text)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!_lines.Any(l => l.Text == text))
        {
            Assert.True(DateTime.UtcNow < deadline, $"'{text}' never appeared");
            await Task.Delay(20);
        }
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
