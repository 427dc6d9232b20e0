using System.Runtime.Versioning;
using Granary.Cli.Micro;
using Granary.Cli.Output;

namespace Granary.Tests.Cli;

// Granary runs on Linux: these tests check unix modes, signals and /proc.
[SupportedOSPlatform("linux")]

public class MicroTests
{
    [Fact]
    public void Pick_SeveralPorts_AreDistinctAndFree()
    {
        var ports = FreePorts.Pick(4);

        Assert.Equal(4, ports.Distinct().Count());
        Assert.All(ports, p => Assert.True(FreePorts.IsFree(p)));
    }

    [Fact]
    public void Pick_Ports_BelowTheRangeOutgoingConnectionsTakeTheirsFrom()
    {
        var (low, _) = FreePorts.EphemeralRange();

        Assert.All(FreePorts.Pick(5), p => Assert.InRange(p, 10000, low - 1));
    }

    [Fact]
    public void LoadOrCreate_NoFile_Creates64HexCharsOwnerOnly()
    {
        using var dir = new TempDir();
        var file = Path.Combine(dir.Path, "micro", "admin-token");

        var token = AdminToken.LoadOrCreate(file);

        Assert.Matches("^[0-9a-f]{64}$", token);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
        Assert.Equal(token, AdminToken.LoadOrCreate(file));
    }

    [Fact]
    public void IsRunning_OwnProcess_DependsOnTheMarker()
    {
        var self = Environment.ProcessId;

        Assert.True(ProcessProbe.IsRunning(self, "dotnet") || ProcessProbe.IsRunning(self, "testhost"));
        Assert.False(ProcessProbe.IsRunning(self, "Granary.Silo.dll-not-this-one"));
    }

    [Fact]
    public async Task StartAsync_Program_RunsDetachedWithPidFileAndLog()
    {
        using var dir = new TempDir();
        var pidFile = Path.Combine(dir.Path, "x.pid");
        var log = Path.Combine(dir.Path, "x.log");
        var marker = "granary-detached-test-" + Guid.NewGuid().ToString("N")[..8];

        var pid = await DetachedProcess.StartAsync("sh", ["-c", $"echo started $SECRET; exec sleep 30 # {marker}"], log, pidFile,
            new Dictionary<string, string> { ["SECRET"] = "from-env" }, CancellationToken.None);
        try
        {
            Assert.Equal(pid, ProcessProbe.ReadPid(pidFile));
            await WaitUntil(() => File.Exists(log) && File.ReadAllText(log).Contains("started from-env"));
            // Its own session: not in the test runner's process group, so Ctrl-C there does not reach it.
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            Assert.Equal(pid.ToString(), fields[3]);
        }
        finally
        {
            ProcessProbe.Signal(-pid, ProcessProbe.SigKill);
        }
    }

    [Fact]
    public async Task MicroDown_StalePidFile_IsRemovedAndNothingIsStopped()
    {
        using var dir = new TempDir();
        var paths = new MicroPaths(dir.Path);
        Directory.CreateDirectory(paths.Dir);
        // Our own pid: alive, but not a silo, so it must be left alone.
        File.WriteAllText(paths.SiloPid, Environment.ProcessId.ToString());
        var console = new CliConsole(new StringWriter(), new StringWriter(), new StringReader(""), false, false);

        var stopped = await MicroDown.StopAllAsync(console, paths, quiet: false, CancellationToken.None);

        Assert.Equal(0, stopped);
        Assert.False(File.Exists(paths.SiloPid));
    }

    [Fact]
    public void Read_LogTail_ReturnsTheLastLines()
    {
        using var dir = new TempDir();
        var file = dir.File("silo.log", string.Join('\n', Enumerable.Range(1, 100)));

        Assert.Equal(["98", "99", "100"], LogTail.Read(file, 3));
        Assert.Empty(LogTail.Read(Path.Combine(dir.Path, "missing.log"), 3));
    }

    private static async Task WaitUntil(Func<bool> condition)
    {
        for (var i = 0; i < 100 && !condition(); i++)
            await Task.Delay(50);
        Assert.True(condition());
    }
}
