using System.Diagnostics;
using Granary.Silo.Dea.Isolation;

namespace Granary.Tests.Dea.Isolation;

/// <summary>
/// The v2 driver's kill, listing and removal on a real cgroup2 hierarchy. CI machines mount one beside their v1
/// controllers (/sys/fs/cgroup/unified), without controllers: enough for cgroup.procs, cgroup.kill and cgroup.freeze,
/// which are core files. Limits themselves are covered on v1 by the instance tests and by the plan's unit tests.
/// </summary>
public sealed class CgroupV2Tests : IDisposable
{
    private readonly string? _mount = File.ReadLines("/proc/self/mountinfo").Select(l => l.Split(' '))
        .Where(f => f.Length > 9 && f[3] == "/" && f[Array.IndexOf(f, "-") + 1] == "cgroup2").Select(f => f[4]).FirstOrDefault();

    private readonly string _path = $"{IsolatedRuntime.CgroupRoot}/v2-{Guid.NewGuid():N}";

    private CgroupV2 Driver() => new(new CgroupLayout(CgroupVersion.V2, new Dictionary<string, string> { ["memory"] = _mount!, ["pids"] = _mount! }));

    [Fact]
    public async Task KillAsync_ProcessesThatLeftTheirGroup_AllKilledThenRemoved()
    {
        Assert.NotNull(_mount); // this kind of machine always has one; see the class comment
        var (driver, shell) = StartInCgroup("setsid sleep 300 & setsid sleep 300 & exec sleep 300");
        await WaitAsync(() => driver.Processes(_path).Count == 3);

        await driver.KillAsync(_path);

        Assert.Empty(driver.Processes(_path));
        Assert.True(shell.WaitForExit(5000));
        Assert.True(driver.Remove(_path));
        Assert.False(Directory.Exists(Path.Combine(_mount!, _path)));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task TakeDown_RunByAShell_KillsAndRemovesTheCgroup(bool hasKillFile)
    {
        Assert.NotNull(_mount);
        var (driver, shell) = StartInCgroup("setsid sleep 300 & exec sleep 300");
        await WaitAsync(() => driver.Processes(_path).Count == 2);

        var script = CgroupPlan.TakeDown(CgroupVersion.V2, [Path.Combine(_mount!, _path)], null, hasKillFile);
        using var takeDown = Process.Start("/bin/sh", ["-c", script])!;
        await takeDown.WaitForExitAsync();

        Assert.True(shell.WaitForExit(5000));
        Assert.False(Directory.Exists(Path.Combine(_mount!, _path)));
    }

    /// <summary>A shell that moves itself into the cgroup first, as the DEA's wrapper does, then runs the command.</summary>
    private (CgroupV2 Driver, Process Shell) StartInCgroup(string command)
    {
        var directory = Path.Combine(_mount!, _path);
        Directory.CreateDirectory(directory);
        var shell = Process.Start("/bin/sh", ["-c", $"echo $$ > {directory}/cgroup.procs || exit 1; {command}"])!;
        return (Driver(), shell);
    }

    private static async Task WaitAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "condition never held");
            await Task.Delay(20);
        }
    }

    public void Dispose()
    {
        if (_mount is null || !Directory.Exists(Path.Combine(_mount, _path)))
        {
            return;
        }

        var driver = Driver();
        driver.KillAsync(_path).GetAwaiter().GetResult();
        driver.Remove(_path);
    }
}
