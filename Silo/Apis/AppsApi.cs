using Granary.Apps;
using Granary.Silo.Auth;
using Granary.Silo.Hosting;
using Granary.Tenancy;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Granary.Silo.Apis;

/// <summary>
/// /v1/apps: apps live in spaces (<c>space</c> is the space's id; the default space's id is <c>default</c>). Who may
/// see and change them follows the space's roles (<see cref="AppAccessFilter"/>, <see cref="TenancyAccess"/>).
/// </summary>
public static class AppsApi
{
    /// <summary>Where apps go when the request names no space: the space of clusters made before spaces.</summary>
    public const string DefaultSpace = ITenancyGrain.DefaultSpaceId;

    /// <summary>What an auditor or manager sees in place of an env value.</summary>
    public const string HiddenValue = "(hidden: needs SpaceDeveloper)";

    public static RouteGroupBuilder MapAppsApi(this RouteGroupBuilder v1)
    {
        var apps = v1.MapGroup("/apps").WithTags("Apps").AppScoped();
        apps.MapPost("/", Create);
        apps.MapGet("/", List);
        apps.MapGet("/{id:guid}", Get);
        apps.MapPatch("/{id:guid}", Update);
        apps.MapDelete("/{id:guid}", Delete);
        apps.MapPost("/{id:guid}/restart", Restart);
        apps.MapGet("/{id:guid}/instances", Instances);
        apps.MapGet("/{id:guid}/events", Events);
        v1.MapGet("/events", EventsByName).WithTags("Apps").RequireAuthorization(GranaryClaims.UserPolicy);
        return v1;
    }

    private static async Task<Results<Created<AppView>, ProblemHttpResult>> Create(
        CreateAppRequest request, HttpContext http, IGrainFactory grains, NodeSettings node)
    {
        var space = await RequireSpaceAsync(http, grains, request.Space ?? DefaultSpace, write: true);
        var spec = request.ToSpec();
        var errors = AppValidation.Validate(spec);
        if (request.Name is null)
        {
            errors = new Dictionary<string, string[]>(errors) { ["name"] = ["name is required"] };
        }

        if (errors.Count > 0)
        {
            return Invalid(errors);
        }

        // The quota is checked and held before the app exists, under an id of its own until the app has one.
        var tenancy = grains.GetGrain<ITenancyGrain>(ITenancyGrain.Key);
        var provisional = Guid.NewGuid();
        await tenancy.Reserve(space, provisional, TenancyGrain.FootprintOf(spec, spec.NoRoute ? 0 : 1));
        AppDetails app;
        try
        {
            app = await grains.GetGrain<ISpaceGrain>(space).CreateApp(spec);
        }
        catch (Granary.Routes.RouteTakenException taken)
        {
            await tenancy.Reserve(space, provisional, null);
            // Host names are cluster-wide: another team may have this name. Say how to have the app anyway.
            throw new Granary.Routes.RouteTakenException(
                $"{taken.Message}; create the app without it (push --no-route, or noRoute: true) and map a host of its own");
        }
        catch
        {
            await tenancy.Reserve(space, provisional, null);
            throw;
        }

        await tenancy.Rekey(space, provisional, app.Id);
        return TypedResults.Created($"/v1/apps/{app.Id}", app.ToView([], node));
    }

    /// <summary>The apps of one space (<c>space</c>), or of every space the caller may see; <c>name</c> picks one by name.</summary>
    private static async Task<Ok<List<AppView>>> List(string? name, string? space, HttpContext http, IGrainFactory grains, NodeSettings node)
    {
        var scope = await http.ScopeAsync(grains);
        var spaces = space is null ? await VisibleSpacesAsync(grains, scope) : [await RequireSpaceAsync(http, grains, space, write: false)];
        var views = new List<AppView>();
        foreach (var spaceId in spaces)
        {
            var grain = grains.GetGrain<ISpaceGrain>(spaceId);
            var ids = name is null ? [.. await grain.ListApps()] : (await grain.FindApp(name) is { } id ? [id] : new List<Guid>());
            var found = await Task.WhenAll(ids.Select(id => TryView(grains, id, node)));
            views.AddRange(found.OfType<AppView>().Select(v => ForCaller(v, TenancyAccess.ToSpace(scope, spaceId))));
        }

        return TypedResults.Ok(views);
    }

    private static async Task<Ok<AppView>> Get(Guid id, HttpContext http, IGrainFactory grains, NodeSettings node) =>
        TypedResults.Ok(ForCaller(await TryView(grains, id, node) ?? throw NotFound(id), AppAccessFilter.AccessOf(http)));

    private static async Task<Results<Ok<AppView>, ProblemHttpResult>> Update(
        Guid id, UpdateAppRequest request, IGrainFactory grains, NodeSettings node)
    {
        var app = grains.GetGrain<IAppGrain>(id);
        var current = await app.Get() ?? throw NotFound(id);
        var update = request.ToUpdate(current.Policy);
        var errors = AppValidation.Validate(AppChanges.Apply(current.Spec, update));
        if (errors.Count > 0)
        {
            return Invalid(errors);
        }

        var tenancy = grains.GetGrain<ITenancyGrain>(ITenancyGrain.Key);
        await tenancy.Reserve(current.Space, id, TenancyGrain.FootprintOf(AppChanges.Apply(current.Spec, update), current.Routes.Length));
        AppDetails updated;
        try
        {
            updated = await app.Update(update);
        }
        catch
        {
            await tenancy.Reserve(current.Space, id, TenancyGrain.FootprintOf(current.Spec, current.Routes.Length));
            throw;
        }

        return TypedResults.Ok(updated.ToView(await app.GetInstances(), node));
    }

    private static async Task<NoContent> Delete(Guid id, IGrainFactory grains)
    {
        var app = grains.GetGrain<IAppGrain>(id);
        var current = await app.Get();
        await app.Delete();
        if (current is not null)
            await grains.GetGrain<ITenancyGrain>(ITenancyGrain.Key).Reserve(current.Space, id, null);
        return TypedResults.NoContent();
    }

    private static async Task<Ok<AppView>> Restart(Guid id, IGrainFactory grains, NodeSettings node)
    {
        var app = grains.GetGrain<IAppGrain>(id);
        var restarted = await app.Restart();
        return TypedResults.Ok(restarted.ToView(await app.GetInstances(), node));
    }

    private static async Task<Ok<List<InstanceView>>> Instances(Guid id, IGrainFactory grains)
    {
        var app = grains.GetGrain<IAppGrain>(id);
        _ = await app.Get() ?? throw NotFound(id);
        return TypedResults.Ok((await app.GetInstances()).Select(i => i.ToView()).ToList());
    }

    private static async Task<Ok<List<EventView>>> Events(Guid id, int? limit, IGrainFactory grains)
    {
        // A deleted app keeps its events (ending with app.deleted); only an id never used has none.
        var events = await grains.GetGrain<IAppGrain>(id).GetEvents(limit ?? 100);
        return events.IsEmpty ? throw NotFound(id) : TypedResults.Ok(events.Select(e => e.ToView()).ToList());
    }

    /// <summary>GET /v1/events?app=NAME[&amp;space=ID]: the events of the app with that name, or of the last deleted one.</summary>
    internal static async Task<Ok<List<EventView>>> EventsByName(string? app, string? space, int? limit, HttpContext http, IGrainFactory grains)
    {
        if (string.IsNullOrWhiteSpace(app))
        {
            throw new InvalidAppException("name the app: GET /v1/events?app=NAME");
        }

        var spaceGrain = grains.GetGrain<ISpaceGrain>(await RequireSpaceAsync(http, grains, space ?? DefaultSpace, write: false));
        var id = await spaceGrain.FindApp(app) ?? await spaceGrain.FindDeletedApp(app)
            ?? throw new AppNotFoundException($"no app named '{app}' exists or was deleted recently");
        return TypedResults.Ok((await grains.GetGrain<IAppGrain>(id).GetEvents(limit ?? 100)).Select(e => e.ToView()).ToList());
    }

    internal static async Task<AppView?> TryView(IGrainFactory grains, Guid id, NodeSettings node)
    {
        var app = grains.GetGrain<IAppGrain>(id);
        var details = await app.Get();
        return details?.ToView(await app.GetInstances(), node);
    }

    /// <summary>
    /// The space's id if the caller may see it (and change its apps, with <paramref name="write"/>); otherwise the
    /// same 404 as for a space that does not exist, or 403 naming SpaceDeveloper.
    /// </summary>
    internal static async Task<string> RequireSpaceAsync(HttpContext http, IGrainFactory grains, string spaceId, bool write)
    {
        var scope = await http.ScopeAsync(grains);
        var space = await grains.GetGrain<ITenancyGrain>(ITenancyGrain.Key).FindSpace(spaceId);
        var access = space is null ? SpaceAccess.None : TenancyAccess.ToSpace(scope, spaceId);
        if (access == SpaceAccess.None)
            throw new TenancyNotFoundException($"no space with id '{spaceId}' that you can see (granary spaces lists them; granary target -o ORG -s SPACE picks one)");
        if (write && access != SpaceAccess.Write)
            throw new ForbiddenException($"changing apps in space '{space!.OrgName}/{space.Name}' needs the {TenancyAccess.WriteRole} role there; you can only look");
        return spaceId;
    }

    /// <summary>The ids of the apps the caller may see (in <paramref name="space"/>, or anywhere); null when that is every app.</summary>
    internal static async Task<HashSet<Guid>?> VisibleAppIdsAsync(HttpContext http, IGrainFactory grains, string? space)
    {
        var scope = await http.ScopeAsync(grains);
        if (scope.Admin && space is null)
            return null;
        var spaces = space is null ? await VisibleSpacesAsync(grains, scope) : [await RequireSpaceAsync(http, grains, space, write: false)];
        var ids = new HashSet<Guid>();
        foreach (var spaceId in spaces)
            ids.UnionWith(await grains.GetGrain<ISpaceGrain>(spaceId).ListApps());
        return ids;
    }

    private static async Task<List<string>> VisibleSpacesAsync(IGrainFactory grains, CallerScope scope)
    {
        var orgs = await grains.GetGrain<ITenancyGrain>(ITenancyGrain.Key).ListOrgs();
        return [.. orgs.SelectMany(o => o.Spaces).Select(s => s.Id).Where(id => TenancyAccess.SeesSpace(scope, id))];
    }

    /// <summary>Auditors and managers see which env variables an app has, not their values.</summary>
    private static AppView ForCaller(AppView view, SpaceAccess access) =>
        access == SpaceAccess.Write ? view : view with { Env = view.Env.ToDictionary(e => e.Key, _ => HiddenValue) };

    internal static AppNotFoundException NotFound(Guid id) => new($"no app with id {id}: list apps with GET /v1/apps");

    private static ProblemHttpResult Invalid(IReadOnlyDictionary<string, string[]> errors) =>
        TypedResults.Problem(new HttpValidationProblemDetails(errors.ToDictionary())
        {
            Status = StatusCodes.Status422UnprocessableEntity,
            Title = "Invalid app",
            Detail = string.Join("; ", errors.SelectMany(e => e.Value)),
        });
}
