using Granary.Apps;
using Granary.Tenancy;

namespace Granary.Silo.Auth;

/// <summary>
/// Guards every <c>/v1/apps/{id}/…</c> endpoint by the app's space: a caller with no role there gets the same 404 as
/// for an app that does not exist; one who may only look (auditors, managers) gets 403 naming SpaceDeveloper for a
/// change. Reads are GET and HEAD; everything else changes something.
/// </summary>
public sealed class AppAccessFilter(IGrainFactory grains) : IEndpointFilter
{
    private static readonly object AccessKey = new();

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        if (http.Request.RouteValues.TryGetValue("id", out var raw) && Guid.TryParse(raw?.ToString(), out var id))
        {
            var access = await AccessToAppAsync(http, id);
            var change = !HttpMethods.IsGet(http.Request.Method) && !HttpMethods.IsHead(http.Request.Method);
            if (access == SpaceAccess.None)
                throw new AppNotFoundException($"no app with id {id}: list apps with GET /v1/apps");
            if (change && access != SpaceAccess.Write)
                throw new ForbiddenException(await NeedsDeveloperAsync(id));
            http.Items[AccessKey] = access;
        }

        return await next(context);
    }

    /// <summary>What the filter decided for this request (Write when no filter ran: admin-only endpoints).</summary>
    public static SpaceAccess AccessOf(HttpContext http) =>
        http.Items.TryGetValue(AccessKey, out var access) && access is SpaceAccess known ? known : SpaceAccess.Write;

    private async Task<SpaceAccess> AccessToAppAsync(HttpContext http, Guid id)
    {
        var scope = await http.ScopeAsync(grains);
        if (scope.Admin)
            return SpaceAccess.Write;
        var app = await grains.GetGrain<IAppGrain>(id).Get();
        return app is null ? SpaceAccess.None : TenancyAccess.ToSpace(scope, app.Space);
    }

    private async Task<string> NeedsDeveloperAsync(Guid id)
    {
        var app = await grains.GetGrain<IAppGrain>(id).Get();
        var space = app is null ? null : await grains.GetGrain<ITenancyGrain>(ITenancyGrain.Key).FindSpace(app.Space);
        return space is null
            ? $"changing this app needs the {TenancyAccess.WriteRole} role in its space"
            : $"changing apps in space '{space.OrgName}/{space.Name}' needs the {TenancyAccess.WriteRole} role there; you can only look";
    }
}

/// <summary>Marks an endpoint as one that signed-in users may reach, guarded by <see cref="AppAccessFilter"/>.</summary>
public static class AppScopedEndpoints
{
    public static TBuilder AppScoped<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.AddEndpointFilter<TBuilder, AppAccessFilter>().RequireAuthorization(GranaryClaims.UserPolicy);
}
