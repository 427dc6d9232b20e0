using Granary.Instances;
using Granary.Tests.Infrastructure;

namespace Granary.Tests.Dea.Isolation;

[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
/// <summary>Real instances in real sandboxes: what an app can and cannot do from inside, as a probe reports it.</summary>
public sealed class IsolatedInstanceTests : IAsyncLifetime
{
    private const string Probe = """
        import os, signal, time
        def attempt(name, action):
            try:
                action(); print(f"{name}=yes", flush=True)
            except FileNotFoundError:
                print(f"{name}=missing", flush=True)
            except ProcessLookupError:
                print(f"{name}=nosuchprocess", flush=True)
            except PermissionError:
                print(f"{name}=denied", flush=True)
        print(f"uid={os.getuid()}", flush=True)
        attempt("secret", lambda: open(os.environ["SECRET_PATH"]).read())
        attempt("shadow", lambda: open("/etc/shadow").read())
        attempt("hostmarker", lambda: open(os.environ["HOST_TMP_MARKER"]).read())
        attempt("home", lambda: open(os.path.join(os.environ["HOME"], "written"), "w").write("x"))
        attempt("signalsilo", lambda: os.kill(int(os.environ["SILO_PID"]), 0))
        attempt("signalinit", lambda: os.kill(1, signal.SIGTERM))
        others = [p for p in os.listdir("/proc") if p.isdigit() and open(f"/proc/{p}/cmdline").read().find("dotnet") >= 0]
        print(f"dotnetseen={len(others)}", flush=True)
        print(f"procs={len([p for p in os.listdir('/proc') if p.isdigit()])}", flush=True)
        print("done", flush=True)
        while True: time.sleep(1)
        """;

    private readonly IsolatedRuntime _dea = new();
    private readonly string _home = Directory.CreateTempSubdirectory("granary-iso-home-").FullName;

    public Task InitializeAsync()
    {
        Assert.True(_dea.Isolation.Level.IsIsolated, $"this machine cannot isolate: {string.Join("; ", _dea.Isolation.Level.Problems)}");
        return Task.CompletedTask;
    }

    [Fact]
    public async Task Start_ProbeApp_RunsAsItsOwnUserSeeingNothingOfTheHost()
    {
        // A fake $GRANARY_HOME secret, owner-only, and a file in the host's /tmp.
        var secret = Path.Combine(_home, "config.json");
        await File.WriteAllTextAsync(secret, "{\"token\":\"admin\"}");
        File.SetUnixFileMode(secret, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        var marker = Path.Combine(Path.GetTempPath(), $"granary-iso-marker-{Guid.NewGuid():N}");
        await File.WriteAllTextAsync(marker, "host");
        try
        {
            var spec = await _dea.StartAsync("python3 probe.py", env: new Dictionary<string, string>
            {
                ["SECRET_PATH"] = secret, ["HOST_TMP_MARKER"] = marker, ["SILO_PID"] = Environment.ProcessId.ToString(),
            }, files: ("probe.py", Probe));
            await _dea.WaitForLineAsync(spec, "done");

            var uid = int.Parse((await _dea.WaitForLineAsync(spec, "uid="))["uid=".Length..]);
            Assert.True(uid >= 200_000, $"uid {uid}");
            Assert.Contains(await _dea.WaitForLineAsync(spec, "secret="), new[] { "secret=missing", "secret=denied" });
            Assert.Contains(await _dea.WaitForLineAsync(spec, "shadow="), new[] { "shadow=missing", "shadow=denied" });
            Assert.Equal("hostmarker=missing", await _dea.WaitForLineAsync(spec, "hostmarker="));
            Assert.Equal("home=yes", await _dea.WaitForLineAsync(spec, "home="));
            Assert.NotEqual("signalsilo=yes", await _dea.WaitForLineAsync(spec, "signalsilo="));
            Assert.Equal("signalinit=denied", await _dea.WaitForLineAsync(spec, "signalinit="));
            Assert.Equal("dotnetseen=0", await _dea.WaitForLineAsync(spec, "dotnetseen="));
            // bwrap's init, the shell, python and its listing: nothing else.
            Assert.True(int.Parse((await _dea.WaitForLineAsync(spec, "procs="))["procs=".Length..]) <= 5, _dea.Output(spec));

            // From the host: the app's processes run as that uid, not as root (bwrap and the watchdog are the platform's).
            var pids = ProcessTable.WithEnv("GRANARY_INSTANCE_ID", spec.InstanceId.ToString())
                .Where(pid => CommandLine(pid) is var line && line.Contains("probe.py") && !line.StartsWith("bwrap") && !line.Contains("granary-child"))
                .ToList();
            Assert.NotEmpty(pids);
            Assert.All(pids, pid => Assert.Equal(uid, HostUid(pid)));
        }
        finally
        {
            File.Delete(marker);
        }
    }

    [Fact]
    public async Task Crash_AllocationOverMemoryLimit_ReportedAsOutOfMemory()
    {
        var spec = await _dea.StartAsync("python3 hog.py", memoryMb: 64,
            files: ("hog.py", "import time\nprint('allocating', flush=True)\nb = b'x' * (1 << 30)\nprint('survived', flush=True)\ntime.sleep(60)\n"));

        var crash = await _dea.WaitForStateAsync(spec, InstanceState.Crashed);

        Assert.Equal("out of memory (limit 64M)", crash.Message);
        Assert.Equal(0, _dea.CountLines(spec, "survived"));
    }

    [Fact]
    public async Task Stop_DoubleForkedDaemon_GoneWithTheInstance()
    {
        var spec = await _dea.StartAsync("python3 daemon.py", files: ("daemon.py", """
            import os, time
            if os.fork() == 0:
                os.setsid()
                if os.fork() == 0:
                    os.execvp("sleep", ["sleep", "1000"])
                os._exit(0)
            print("daemon started", flush=True)
            while True: time.sleep(1)
            """));
        await _dea.WaitForLineAsync(spec, "daemon started");
        await WaitUntilAsync(() => ProcessTable.WithEnv("GRANARY_INSTANCE_ID", spec.InstanceId.ToString()).Any(IsSleep));

        await _dea.StopAsync(spec);

        Assert.Empty(ProcessTable.WithEnv("GRANARY_INSTANCE_ID", spec.InstanceId.ToString()));
    }

    [Fact]
    public async Task ReapOrphans_WhileOwnInstanceRuns_ItKeepsRunning()
    {
        // The DEA grain announces (and reaps) again whenever Orleans reactivates it, with instances running.
        var spec = await _dea.StartAsync("python3 tick.py", files: ("tick.py", "import time\nwhile True:\n    print('tick', flush=True)\n    time.sleep(0.1)\n"));
        await _dea.WaitForLineAsync(spec, "tick");

        await _dea.Runtime.ReapOrphansAsync(CancellationToken.None);
        var ticks = _dea.CountLines(spec, "tick");
        await Task.Delay(500);

        Assert.True(_dea.CountLines(spec, "tick") > ticks, "the instance was reaped");
        Assert.NotEmpty(ProcessTable.WithEnv("GRANARY_INSTANCE_ID", spec.InstanceId.ToString()));
    }

    [Fact]
    public async Task Stop_SigtermHandlerNeedingThreeSeconds_Finishes()
    {
        var spec = await _dea.StartAsync("python3 graceful.py", files: ("graceful.py", """
            import signal, sys, time
            def handler(*_):
                print("term received", flush=True)
                time.sleep(3)
                print("term handled", flush=True)
                sys.exit(0)
            signal.signal(signal.SIGTERM, handler)
            print("ready", flush=True)
            while True: time.sleep(0.1)
            """));
        await _dea.WaitForLineAsync(spec, "ready");

        await _dea.StopAsync(spec);

        // Printed just before it exited: the line may still be on its way through the pipe when STOPPED is reported.
        Assert.Equal("term handled", await _dea.WaitForLineAsync(spec, "term handled", seconds: 5));
    }

    [Fact]
    public async Task Stop_AppIgnoringSigterm_KilledAfterTheGrace()
    {
        await using var dea = new IsolatedRuntime(stopGrace: TimeSpan.FromSeconds(1));
        var spec = await dea.StartAsync("python3 stubborn.py", files: ("stubborn.py", """
            import signal, time
            signal.signal(signal.SIGTERM, signal.SIG_IGN)
            while True:
                print("alive", flush=True)
                time.sleep(0.1)
            """));
        await dea.WaitForLineAsync(spec, "alive");

        var stop = dea.StopAsync(spec);
        await Task.Delay(300);
        var aliveDuringGrace = dea.CountLines(spec, "alive");
        await stop;

        Assert.True(dea.CountLines(spec, "alive") > aliveDuringGrace, "it did not get the grace period");
        Assert.Empty(ProcessTable.WithEnv("GRANARY_INSTANCE_ID", spec.InstanceId.ToString()));
    }

    private static int HostUid(int pid) =>
        int.Parse(File.ReadLines($"/proc/{pid}/status").First(l => l.StartsWith("Uid:")).Split('\t', StringSplitOptions.RemoveEmptyEntries)[1]);

    private static bool IsSleep(int pid) => CommandLine(pid).StartsWith("sleep");

    private static string CommandLine(int pid) => File.Exists($"/proc/{pid}/cmdline") ? File.ReadAllText($"/proc/{pid}/cmdline") : "";

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "condition never held");
            await Task.Delay(50);
        }
    }

    public async Task DisposeAsync()
    {
        await _dea.DisposeAsync();
        Directory.Delete(_home, recursive: true);
    }
}
