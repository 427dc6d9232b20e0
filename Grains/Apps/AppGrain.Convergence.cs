using System.Collections.Immutable;
using Granary.Apps;
using Granary.Cluster;
using Granary.Instances;
using Granary.Nodes;
using Granary.Telemetry;
using Microsoft.Extensions.Logging;

namespace Granary.Apps;

public sealed partial class AppGrain
{
    private static readonly TimeSpan PlacementRetry = TimeSpan.FromSeconds(5);
    private IDisposable? _placementRetry;

    /// <summary>Applies the convergence plan: stops what should not run, places and starts what is missing.</summary>
    private async Task ConvergeAsync()
    {
        var app = state.State.App!;
        var plan = AppConvergence.Plan(app.Spec, app.Droplet, state.State.Slots);
        await StopSlotsAsync(plan.Stop.Select(s => s.Slot).ToList(), string.Join(", ", plan.Stop.Select(s => s.Reason).Distinct()));
        if (plan.Start.IsEmpty)
        {
            return;
        }

        var registry = GrainFactory.GetGrain<INodeRegistryGrain>(NodeRegistryGrain.Key);
        var own = state.State.Slots.GroupBy(s => s.NodeId).ToDictionary(g => g.Key, g => g.Count());
        var placement = InstancePlacement.Place(await registry.GetLiveNodes(), Id, app.Spec.MemoryMb, plan.Start.Length, own);
        var unplaced = placement.Unplaced;
        foreach (var (index, nodeId) in plan.Start.Zip(placement.NodeIds))
        {
            if (!await TryStartAsync(app, index, nodeId))
            {
                unplaced++;
            }
        }

        if (unplaced > 0)
        {
            var reason = placement.Reason ?? "a node refused the instance";
            GranaryTelemetry.PlacementFailures.Add(unplaced);
            AddEvent(AppEventTypes.PlacementFailed, $"{unplaced} instance(s) could not be placed: {reason}", ("unplaced", unplaced));
            LogPlacementFailed(Id, unplaced, reason);
            SchedulePlacementRetry();
        }
    }

    private async Task<bool> TryStartAsync(AppDetails app, int index, string nodeId)
    {
        var instanceId = Guid.NewGuid();
        var droplet = app.Droplet!;
        var spec = new InstanceSpec(instanceId, Id, app.Spec.Name, index, droplet.Hash, app.Spec.Command ?? droplet.StartCommand,
            app.Spec.MemoryMb, await EnvironmentWithServicesAsync(app.Spec.Env), app.Spec.HealthCheck, [$"{app.Spec.Name}.{options.Value.Domain}"]);
        var instance = GrainFactory.GetGrain<IInstanceGrain>(instanceId);
        _actual[instanceId] = await instance.Assign(Id, index, nodeId, droplet.Hash);
        try
        {
            await GrainFactory.GetGrain<IDeaNodeGrain>(nodeId).Start(spec);
        }
        catch (Exception e) when (e is InsufficientCapacityException or NodeUnavailableException or TimeoutException)
        {
            _actual.Remove(instanceId);
            await instance.Report(new InstanceReport(instanceId, InstanceState.Crashed, null, null, null, $"node {nodeId} could not start it: {e.Message}"));
            LogStartRefused(Id, index, nodeId, e.Message);
            return false;
        }

        state.State.Slots.Add(new InstanceSlot(index, instanceId, nodeId, droplet.Hash, app.Spec.MemoryMb));
        return true;
    }

    private async Task StopSlotsAsync(IReadOnlyList<InstanceSlot> slots, string reason)
    {
        foreach (var slot in slots)
        {
            state.State.Slots.Remove(slot);
            _actual.Remove(slot.InstanceId);
        }

        // Unroute first, like gorouter's unregister before a stop: the edge stops sending new requests
        // before the process gets SIGTERM.
        if (slots.Count > 0)
        {
            await PublishRoutesAsync();
        }

        await Task.WhenAll(slots.Select(async slot =>
        {
            try
            {
                await GrainFactory.GetGrain<IDeaNodeGrain>(slot.NodeId).Stop(slot.InstanceId, reason);
            }
            catch (Exception e) when (e is NodeUnavailableException or TimeoutException)
            {
                // The node is gone, and its processes with it: record the instance as stopped.
                var instance = GrainFactory.GetGrain<IInstanceGrain>(slot.InstanceId);
                await instance.Report(new InstanceReport(slot.InstanceId, InstanceState.Stopping, null, null, null, e.Message));
                await instance.Report(new InstanceReport(slot.InstanceId, InstanceState.Stopped, null, null, null, e.Message));
            }
        }));
    }

    private void SchedulePlacementRetry()
    {
        _placementRetry?.Dispose();
        _placementRetry = this.RegisterGrainTimer(async () =>
        {
            if (state.State.App is not null)
            {
                await ConvergeAsync();
                await SaveAsync();
            }
        }, new GrainTimerCreationOptions(PlacementRetry, Timeout.InfiniteTimeSpan));
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "App {AppId}: {Count} instance(s) unplaced: {Reason}")]
    private partial void LogPlacementFailed(Guid appId, int count, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "App {AppId}: node {NodeId} refused instance {Index}: {Reason}")]
    private partial void LogStartRefused(Guid appId, int index, string nodeId, string reason);
}
