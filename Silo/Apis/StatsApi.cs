using Granary.Apps;
using Granary.Nodes;
using Granary.Silo.Auth;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Granary.Silo.Apis;

/// <summary>One instance's use of its limits (granary stats): CPU, memory, uptime, from its cgroup on its node.</summary>
public sealed record InstanceStatsView(
    int Index, Guid InstanceId, Granary.Instances.InstanceState State, string Node, double? CpuPercent, long? MemoryBytes, long MemoryLimitBytes, double? UptimeSeconds);

/// <summary>GET /v1/apps/{id}/stats: asks each node that runs one of the app's instances.</summary>
public static class StatsApi
{
    public static RouteGroupBuilder MapStatsApi(this RouteGroupBuilder v1)
    {
        v1.MapGet("/apps/{id:guid}/stats", Stats).WithTags("Apps").AppScoped();
        return v1;
    }

    private static async Task<Ok<List<InstanceStatsView>>> Stats(Guid id, IGrainFactory grains, TimeProvider time)
    {
        var app = grains.GetGrain<IAppGrain>(id);
        var details = await app.Get() ?? throw AppsApi.NotFound(id);
        var instances = await app.GetInstances();
        var measured = new Dictionary<Guid, InstanceStats>();
        await Task.WhenAll(instances.GroupBy(i => i.NodeId).Select(async node =>
        {
            try
            {
                var stats = await grains.GetGrain<IDeaNodeGrain>(node.Key).GetStats([.. node.Select(i => i.InstanceId)]);
                lock (measured)
                {
                    foreach (var s in stats)
                    {
                        measured[s.InstanceId] = s;
                    }
                }
            }
            catch (Exception e) when (e is Granary.Cluster.NodeUnavailableException or TimeoutException)
            {
                // A node that cannot answer: its instances are listed without figures.
            }
        }));

        var now = time.GetUtcNow();
        return TypedResults.Ok(instances.OrderBy(i => i.Index).Select(i =>
        {
            var s = measured.GetValueOrDefault(i.InstanceId);
            return new InstanceStatsView(i.Index, i.InstanceId, i.State, i.NodeId, s?.CpuPercent, s?.MemoryBytes,
                s?.MemoryLimitBytes ?? details.Spec.MemoryMb * 1024L * 1024L,
                s is null || i.State != Granary.Instances.InstanceState.Running ? null : Math.Round((now - s.StartedAt).TotalSeconds));
        }).ToList());
    }
}
