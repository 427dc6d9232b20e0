using System.Collections.Immutable;
using Granary.Cluster;
using Granary.Nodes;
using Microsoft.Extensions.Logging;
using Orleans.Placement;

namespace Granary.Nodes;

/// <summary>
/// The DEA of one node. Always activated on that node's own silo, where <see cref="IInstanceRuntime"/>
/// drives real processes; it advertises its capacity to the registry on a timer.
/// </summary>
[NodePinnedPlacement, Immovable]
public sealed partial class DeaNodeGrain(
    IInstanceRuntime runtime,
    Microsoft.Extensions.Options.IOptionsMonitor<Granary.Health.HealthOptions> healthOptions,
    TimeProvider time,
    ILogger<DeaNodeGrain> logger)
    : Grain, IDeaNodeGrain
{
    public static readonly TimeSpan AdvertiseInterval = TimeSpan.FromSeconds(5);

    private bool _announced;

    public async Task Announce()
    {
        if (!_announced)
        {
            await runtime.ReapOrphansAsync(CancellationToken.None);
            this.RegisterGrainTimer(AdvertiseAsync, new GrainTimerCreationOptions(TimeSpan.Zero, AdvertiseInterval) { KeepAlive = true });
            StartHeartbeats();
            _announced = true;
            LogAnnounced(this.GetPrimaryKeyString(), runtime.TotalMemoryMb);
        }

        await AdvertiseAsync(CancellationToken.None);
    }

    public async Task Start(InstanceSpec spec)
    {
        var capacity = Capacity();
        if (runtime.Instances.Any(i => i.InstanceId == spec.InstanceId))
        {
            return; // a retried call: the instance is already on its way
        }

        if (runtime.IsDraining)
        {
            throw new NodeUnavailableException($"node {capacity.NodeId} is shutting down and takes no new instances");
        }

        if (capacity.FreeMemoryMb < spec.MemoryMb)
        {
            throw new InsufficientCapacityException(
                $"node {capacity.NodeId} has {capacity.FreeMemoryMb} MB free, the instance needs {spec.MemoryMb} MB");
        }

        await runtime.StartAsync(spec);
        await AdvertiseAsync(CancellationToken.None);
    }

    public async Task Stop(Guid instanceId, string reason)
    {
        await runtime.StopAsync(instanceId, reason);
        await AdvertiseAsync(CancellationToken.None);
    }

    public async Task Drain()
    {
        runtime.BeginDrain();
        await AdvertiseAsync(CancellationToken.None);
        // Evacuation starts when the health manager hears of the drain: tell it now, not at the next beat.
        await PublishHeartbeatAsync(CancellationToken.None);
    }

    public Task<NodeCapacity> GetCapacity() => Task.FromResult(Capacity());

    public Task<ImmutableArray<Guid>> ListInstances() =>
        Task.FromResult(runtime.Instances.Select(i => i.InstanceId).ToImmutableArray());

    public async Task<ImmutableArray<InstanceStats>> GetStats(ImmutableArray<Guid> instanceIds) =>
        [.. await runtime.StatsAsync(instanceIds)];

    private Task AdvertiseAsync(CancellationToken cancellationToken) =>
        GrainFactory.GetGrain<INodeRegistryGrain>(NodeRegistryGrain.Key).Report(Capacity());

    private NodeCapacity Capacity()
    {
        var instances = runtime.Instances;
        return new NodeCapacity(
            this.GetPrimaryKeyString(),
            runtime.IsDraining ? 0 : runtime.TotalMemoryMb,
            instances.Sum(i => i.MemoryMb),
            instances.Count,
            instances.GroupBy(i => i.AppId).ToImmutableDictionary(g => g.Key, g => g.Count()),
            time.GetUtcNow());
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "DEA node {NodeId} announced with {MemoryMb} MB for instances")]
    private partial void LogAnnounced(string nodeId, int memoryMb);
}
