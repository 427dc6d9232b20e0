using Granary.Apps;
using Granary.Silo.Auth;
using Granary.Cluster;
using Granary.Health;
using Granary.Nodes;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Granary.Silo.Apis;

/// <summary>/v1/nodes and an app's crashes: what the health manager sees and does.</summary>
public static class HealthApi
{
    public static RouteGroupBuilder MapHealthApi(this RouteGroupBuilder v1)
    {
        v1.MapGet("/apps/{id:guid}/crashes", Crashes).WithTags("Health").AppScoped();
        v1.MapGet("/nodes", Nodes).WithTags("Nodes");
        v1.MapGet("/nodes/{node}", Node).WithTags("Nodes");
        v1.MapPost("/nodes/{node}/evacuate", Evacuate).WithTags("Nodes");
        return v1;
    }

    private static async Task<Ok<List<CrashView>>> Crashes(Guid id, int? limit, IGrainFactory grains)
    {
        var app = grains.GetGrain<IAppGrain>(id);
        _ = await app.Get() ?? throw AppsApi.NotFound(id);
        var crashes = await app.GetCrashes();
        return TypedResults.Ok(crashes.TakeLast(Math.Clamp(limit ?? 50, 1, 100)).Select(c => c.ToView()).ToList());
    }

    private static async Task<Ok<List<NodeView>>> Nodes(IGrainFactory grains) =>
        TypedResults.Ok((await Manager(grains).GetNodes()).Select(n => n.ToView()).ToList());

    private static async Task<Ok<NodeView>> Node(string node, IGrainFactory grains) =>
        TypedResults.Ok((await FindAsync(grains, node)).ToView());

    /// <summary>
    /// Drains the node: it takes no new instances, and the health manager starts a replacement for each of
    /// its instances elsewhere, then stops the old one once the new one runs. 202: it happens in the background.
    /// </summary>
    private static async Task<Accepted<NodeView>> Evacuate(string node, IGrainFactory grains)
    {
        var known = await FindAsync(grains, node);
        if (known.Status is "MISSING" or "DEAD")
        {
            throw new NodeUnavailableException($"node {node} is {known.Status.ToLowerInvariant()}: its instances are already being started elsewhere");
        }

        await grains.GetGrain<IDeaNodeGrain>(node).Drain();
        await Manager(grains).Converge();
        return TypedResults.Accepted($"/v1/nodes/{node}", (await FindAsync(grains, node)).ToView());
    }

    private static async Task<NodeHealth> FindAsync(IGrainFactory grains, string node) =>
        (await Manager(grains).GetNodes()).FirstOrDefault(n => n.NodeId == node)
        ?? throw new NodeNotFoundException($"no node '{node}' has sent a heartbeat: list nodes with GET /v1/nodes");

    private static IHealthManagerGrain Manager(IGrainFactory grains) => grains.GetGrain<IHealthManagerGrain>(HealthStreams.ClusterKey);
}

/// <summary>A node id no DEA answers to.</summary>
public sealed class NodeNotFoundException(string message) : Exception(message);
