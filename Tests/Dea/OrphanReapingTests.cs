using System.Diagnostics;
using Granary.Instances;
using Granary.Logs;
using Granary.Nodes;
using Granary.Silo.Dea;
using Granary.Silo.Processes;
using Granary.Silo.Staging;
using Granary.Staging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Granary.Tests.Dea;

public sealed class OrphanReapingTests : IDisposable
{
    private readonly string _instances = Directory.CreateTempSubdirectory("granary-reap-").FullName;
    private readonly List<InstanceReport> _reports = [];

    [Fact]
    public async Task ReapOrphans_ProcessLeftByACrashedNode_KilledDirectoryRemovedAndReported()
    {
        var instanceId = Guid.NewGuid();
        var dir = Path.Combine(_instances, instanceId.ToString("N"));
        Directory.CreateDirectory(dir);
        // A process group like the ones the DEA starts, left running by a node that died.
        using var orphan = Process.Start(new ProcessStartInfo("setsid", ["sleep", "300"]))!;
        await Task.Delay(100);
        new ProcessMarker(instanceId, Guid.NewGuid(), orphan.Id, PosixSignals.ProcessStartTicks(orphan.Id)).Write(dir);

        await Runtime().ReapOrphansAsync(CancellationToken.None);

        Assert.True(orphan.WaitForExit(5000), "the orphan still runs");
        Assert.False(Directory.Exists(dir));
        Assert.Equal(InstanceState.Crashed, Assert.Single(_reports, r => r.InstanceId == instanceId).State);
    }

    [Fact]
    public async Task ReapOrphans_PidNowUsedByAStranger_StrangerLeftAlone()
    {
        var dir = Path.Combine(_instances, Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        using var stranger = Process.Start(new ProcessStartInfo("setsid", ["sleep", "300"]))!;
        await Task.Delay(100);
        // Same pid, but not the start time recorded: the pid was reused by someone else.
        new ProcessMarker(Guid.NewGuid(), Guid.NewGuid(), stranger.Id, 1).Write(dir);

        await Runtime().ReapOrphansAsync(CancellationToken.None);

        Assert.False(stranger.HasExited);
        stranger.Kill();
    }

    private ProcessInstanceRuntime Runtime() => new(
        Options.Create(new DeaOptions { InstancesDirectory = _instances, MemoryMb = 1024 }),
        new NoDroplets(), new RecordingSink(_reports), new Granary.Silo.Hosting.NodeSettings { NodeId = "test" }, new NoLogs(),
        new HealthProbe(null!, TimeProvider.System), new FreePorts(TimeProvider.System),
        Granary.Silo.Dea.Isolation.InstanceIsolation.Detect(new DeaOptions { InstancesDirectory = _instances, Isolation = { CgroupRoot = Isolation.IsolatedRuntime.CgroupRoot } }, new Granary.Silo.Hosting.NodeSettings { NodeId = "test" }),
        TimeProvider.System,
        NullLogger<ProcessInstanceRuntime>.Instance);

    public void Dispose() => Directory.Delete(_instances, recursive: true);

    private sealed class RecordingSink(List<InstanceReport> reports) : IInstanceReportSink
    {
        public Task ReportAsync(InstanceReport report)
        {
            lock (reports) reports.Add(report);
            return Task.CompletedTask;
        }

        public Task ExitedAsync(Granary.Health.InstanceExit exit) => Task.CompletedTask;
    }

    private sealed class NoLogs : ILogEmitter
    {
        public void Emit(Guid appId, string source, LogStream stream, string text) { }
    }

    private sealed class NoDroplets : IDropletStore
    {
        public Task<DropletRef> PutAsync(string archivePath, string framework, string startCommand, CancellationToken cancellationToken) =>
            throw new NotSupportedException();

        public Task<string> GetLocalPathAsync(string hash, CancellationToken cancellationToken) => throw new FileNotFoundException(hash);
    }
}
