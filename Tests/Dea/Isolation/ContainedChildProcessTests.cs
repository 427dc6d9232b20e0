using System.Collections.Concurrent;
using Granary.Logs;
using Granary.Silo.Processes;
using Granary.Tests.Infrastructure;

namespace Granary.Tests.Dea.Isolation;

/// <summary>A command in a real instance cgroup and sandbox, driven at the process level (no runtime around it).</summary>
public sealed class ContainedChildProcessTests : IAsyncLifetime
{
    private readonly IsolatedRuntime _dea = new();
    private readonly string _dir = Directory.CreateTempSubdirectory("granary-contained-").FullName;
    private readonly ConcurrentQueue<string> _lines = new();

    public Task InitializeAsync()
    {
        Assert.True(_dea.Isolation.Level.IsIsolated, string.Join("; ", _dea.Isolation.Level.Problems));
        Directory.CreateDirectory(Path.Combine(_dir, "app"));
        Directory.CreateDirectory(Path.Combine(_dir, "tmp"));
        return Task.CompletedTask;
    }

    [Fact]
    public async Task ParentDeath_DaemonThatLeftTheGroup_KilledWithItsCgroup()
    {
        var marker = Guid.NewGuid().ToString("N");
        var sandbox = _dea.Isolation.Prepare(Guid.NewGuid(), "contained", 0, 64, _dir, Path.Combine(_dir, "app"), Path.Combine(_dir, "tmp"));
        using var child = ChildProcess.Start(new ChildProcessStart("setsid sleep 300 & echo ready; wait", Path.Combine(_dir, "app"),
            new Dictionary<string, string> { ["PATH"] = sandbox.Path, ["MARKER"] = marker }, sandbox.Containment), (_, line) => _lines.Enqueue(line));
        await WaitAsync(() => _lines.Contains("ready") && sandbox.Processes().Count >= 3);

        child.SimulateParentDeath();

        await WaitAsync(() => ProcessTable.WithEnv("MARKER", marker).Count == 0);
        Assert.Empty(sandbox.Processes());
        await _dea.Isolation.ReleaseAsync(sandbox);
    }

    [Fact]
    public async Task Reap_CgroupLeftByADeadNode_ProcessesKilledAndCgroupRemoved()
    {
        var sandbox = _dea.Isolation.Prepare(Guid.NewGuid(), "orphan", 0, 64, _dir, Path.Combine(_dir, "app"), Path.Combine(_dir, "tmp"));
        var child = ChildProcess.Start(new ChildProcessStart("setsid sleep 300 & echo ready; wait", Path.Combine(_dir, "app"),
            new Dictionary<string, string> { ["PATH"] = sandbox.Path }, sandbox.Containment), (_, line) => _lines.Enqueue(line));
        await WaitAsync(() => _lines.Contains("ready") && sandbox.Processes().Count >= 3);
        var pids = sandbox.Processes();

        // As if the node died with its watchdogs: the cgroup is all that knows the processes.
        var reaped = await _dea.Isolation.ReapAsync(_ => false);

        Assert.Contains(sandbox.Cgroup.Split('/')[^1], reaped);
        Assert.Empty(sandbox.Processes());
        Assert.All(pids, pid => Assert.False(File.Exists($"/proc/{pid}/cmdline") && File.ReadAllText($"/proc/{pid}/cmdline").Length > 0));
        child.Dispose();
    }

    private static async Task WaitAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "condition never held");
            await Task.Delay(50);
        }
    }

    public async Task DisposeAsync()
    {
        await _dea.DisposeAsync();
        Directory.Delete(_dir, recursive: true);
    }
}
