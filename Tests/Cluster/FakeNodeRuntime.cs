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
    private volatile bool _draining;

    public int TotalMemoryMb => totalMemoryMb;
    public bool IsDraining => _draining;
    public IReadOnlyCollection<InstanceSpec> Instances => _instances.Values.ToList();

    public void BeginDrain() => _draining = true;

    public Task StartAsync(InstanceSpec spec)
    {
        _instances[spec.InstanceId] = spec;
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
