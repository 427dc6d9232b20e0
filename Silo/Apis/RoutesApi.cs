using Granary.Apps;
using Granary.Routes;
using Granary.Silo.Auth;
using Granary.Silo.Hosting;
using Granary.Tenancy;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Granary.Silo.Apis;

/// <summary>/v1/routes and an app's routes: which host names the edge sends to which app.</summary>
public static class RoutesApi
{
    public static RouteGroupBuilder MapRoutesApi(this RouteGroupBuilder v1)
    {
        v1.MapGet("/routes", List).WithTags("Routes").RequireAuthorization(GranaryClaims.UserPolicy);
        v1.MapPost("/apps/{id:guid}/routes", Map).WithTags("Routes").AppScoped();
        v1.MapDelete("/apps/{id:guid}/routes/{host}", Unmap).WithTags("Routes").AppScoped();
        return v1;
    }

    /// <summary>Every route of the apps the caller may see (all of them for admins).</summary>
    private static async Task<Ok<List<RouteView>>> List(HttpContext http, IGrainFactory grains, NodeSettings node)
    {
        var table = await grains.GetGrain<IRouteTableGrain>(RouteTableGrain.Key).GetChangesSince(0);
        var visible = await AppsApi.VisibleAppIdsAsync(http, grains, space: null);
        return TypedResults.Ok(table.Changed
            .Where(app => visible is null || visible.Contains(app.AppId))
            .SelectMany(app => app.Hosts.Select(host => new RouteView(host, app.AppId, app.AppName, node.RouteUrl(host))))
            .OrderBy(r => r.Host, StringComparer.Ordinal)
            .ToList());
    }

    private static async Task<Ok<AppView>> Map(Guid id, MapRouteRequest request, IGrainFactory grains, NodeSettings node)
    {
        if (string.IsNullOrWhiteSpace(request.Host))
        {
            throw new InvalidAppException("give the host name to map, for example { \"host\": \"www.example.com\" }");
        }

        var app = grains.GetGrain<IAppGrain>(id);
        var current = await app.Get() ?? throw AppsApi.NotFound(id);
        var tenancy = grains.GetGrain<ITenancyGrain>(ITenancyGrain.Key);
        await tenancy.Reserve(current.Space, id, TenancyGrain.FootprintOf(current.Spec, current.Routes.Length + 1));
        AppDetails mapped;
        try
        {
            mapped = await app.MapRoute(request.Host);
        }
        finally
        {
            // Held for one more route while it was mapped; now exactly what the app has.
            var now = await app.Get();
            await tenancy.Reserve(current.Space, id, now is null ? null : TenancyGrain.FootprintOf(now.Spec, now.Routes.Length));
        }

        return TypedResults.Ok(mapped.ToView(await app.GetInstances(), node));
    }

    private static async Task<Ok<AppView>> Unmap(Guid id, string host, IGrainFactory grains, NodeSettings node)
    {
        var app = grains.GetGrain<IAppGrain>(id);
        var unmapped = await app.UnmapRoute(host);
        await grains.GetGrain<ITenancyGrain>(ITenancyGrain.Key).Reserve(unmapped.Space, id, TenancyGrain.FootprintOf(unmapped.Spec, unmapped.Routes.Length));
        return TypedResults.Ok(unmapped.ToView(await app.GetInstances(), node));
    }
}
