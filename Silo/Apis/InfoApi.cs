using Granary.Silo.Dea;
using Granary.Silo.Hosting;

namespace Granary.Silo.Apis;

/// <summary>Unauthenticated: what this cloud is, and whether this node is alive and ready.</summary>
public static class InfoApi
{
    public static readonly string Version =
        typeof(InfoApi).Assembly.GetName().Version?.ToString(3) ?? "0.0.0";

    public static WebApplication MapInfoApi(this WebApplication app)
    {
        app.MapGet("/v1/info", (NodeSettings node, Granary.Silo.Dea.Isolation.InstanceIsolation isolation) => TypedResults.Ok(new InfoView(
            Version, node.ApiUrl, node.EdgeUrl, node.Domain, node.NodeId,
            node.Roles.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries),
            node.Has(Granary.Cluster.SiloRoles.Dea) ? isolation.Level.Level : null,
            node.Has(Granary.Cluster.SiloRoles.Dea) ? isolation.Level.Problems : [])))
            .WithTags("Info").AllowAnonymous();
        app.MapGet("/healthz", () => TypedResults.Text("ok")).ExcludeFromDescription().AllowAnonymous();
        app.MapGet("/readyz", (NodeReadiness readiness) => readiness.IsReady
                ? Results.Text("ready")
                : Results.Problem(statusCode: 503, title: "Not ready", detail: readiness.Waiting))
            .ExcludeFromDescription().AllowAnonymous();
        return app;
    }
}
