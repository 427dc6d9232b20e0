using System.Collections.Concurrent;
using Granary.Instances;
using Granary.Nodes;

namespace Granary.Tests.Cluster;

/// <summary>
/// A DEA runtime without processes, for grain tests of decision logic only: an instance is RUNNING as
/// soon as it is started. Each silo gets its own, with a memory size that tells the silos apart.
/// </summary>
public sealed class FakeNodeRuntime(int totalMemoryMb, IInstanceReportSink reports) : IInstanceRuntime
{
    private readonly ConcurrentDictionary<Guid, InstanceSpec> _instances = new();
    private readonly ConcurrentDictionary<Guid, DateTimeOffset> _since = new();
    private volatile bool _draining;

    public int TotalMemoryMb => totalMemoryMb;
    public bool IsDraining => _draining;
    public IReadOnlyCollection<InstanceSpec> Instances => _instances.Values.ToList();

    public void BeginDrain() => _draining = true;

    public IReadOnlyCollection<Granary.Health.HeartbeatInstance> Describe() =>
        _instances.Values.Select(s => new Granary.Health.HeartbeatInstance(s.InstanceId, s.AppId, s.Index, InstanceState.Running,
            _since.GetValueOrDefault(s.InstanceId))).ToList();

    /// <summary>The process disappears and every message about it is lost: only heartbeats can tell.</summary>
    public void VanishSilently(Guid instanceId) => _instances.TryRemove(instanceId, out _);

    /// <summary>Makes an instance look older than it is (past the health manager's grace for new instances).</summary>
    public void Backdate(Guid instanceId, TimeSpan by) => _since[instanceId] = _since.GetValueOrDefault(instanceId) - by;

    /// <summary>The process "exits" by itself: reported CRASHED and published as an exit, like a real DEA does.</summary>
    public async Task CrashAsync(Guid instanceId, int exitCode)
    {
        if (_instances.TryRemove(instanceId, out var spec))
        {
            await reports.ReportAsync(new InstanceReport(instanceId, InstanceState.Crashed, null, null, exitCode, $"the process exited with code {exitCode}"));
            await reports.ExitedAsync(new Granary.Health.InstanceExit(instanceId, spec.AppId, spec.Index, "fake", true, exitCode,
                $"the process exited with code {exitCode}", _since.GetValueOrDefault(instanceId), DateTimeOffset.UtcNow, ["last words"]));
        }
    }

    public Task StartAsync(InstanceSpec spec)
    {
        _instances[spec.InstanceId] = spec;
        _since[spec.InstanceId] = DateTimeOffset.UtcNow;
        _ = Task.Run(() => reports.ReportAsync(new InstanceReport(spec.InstanceId, InstanceState.Running, "127.0.0.1", 40000 + spec.Index, null, null)));
        return Task.CompletedTask;
    }

    public Task StopAsync(Guid instanceId, string reason)
    {
        if (_instances.TryRemove(instanceId, out _))
        {
            _ = Task.Run(async () =>
            {
                await reports.ReportAsync(new InstanceReport(instanceId, InstanceState.Stopping, null, null, null, reason));
                await reports.ReportAsync(new InstanceReport(instanceId, InstanceState.Stopped, null, null, 0, reason));
            });
        }

        return Task.CompletedTask;
    }

    public Task ReapOrphansAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
