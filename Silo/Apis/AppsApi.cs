using Granary.Apps;
using Granary.Silo.Hosting;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Granary.Silo.Apis;

/// <summary>/v1/apps: the apps of the default space.</summary>
public static class AppsApi
{
    /// <summary>One space for now; keys and names are per space so multi-tenancy can add more.</summary>
    public const string DefaultSpace = "default";

    public static RouteGroupBuilder MapAppsApi(this RouteGroupBuilder v1)
    {
        var apps = v1.MapGroup("/apps").WithTags("Apps");
        apps.MapPost("/", Create);
        apps.MapGet("/", List);
        apps.MapGet("/{id:guid}", Get);
        apps.MapPatch("/{id:guid}", Update);
        apps.MapDelete("/{id:guid}", Delete);
        apps.MapPost("/{id:guid}/restart", Restart);
        apps.MapGet("/{id:guid}/instances", Instances);
        apps.MapGet("/{id:guid}/events", Events);
        v1.MapGet("/events", EventsByName).WithTags("Apps");
        return v1;
    }

    private static async Task<Results<Created<AppView>, ProblemHttpResult>> Create(
        CreateAppRequest request, IGrainFactory grains, NodeSettings node)
    {
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

        var app = await grains.GetGrain<ISpaceGrain>(DefaultSpace).CreateApp(spec);
        return TypedResults.Created($"/v1/apps/{app.Id}", app.ToView([], node));
    }

    private static async Task<Ok<List<AppView>>> List(string? name, IGrainFactory grains, NodeSettings node)
    {
        var space = grains.GetGrain<ISpaceGrain>(DefaultSpace);
        var ids = name is null
            ? [.. await space.ListApps()]
            : (await space.FindApp(name) is { } id ? [id] : new List<Guid>());
        var views = await Task.WhenAll(ids.Select(id => TryView(grains, id, node)));
        return TypedResults.Ok(views.OfType<AppView>().ToList());
    }

    private static async Task<Ok<AppView>> Get(Guid id, IGrainFactory grains, NodeSettings node) =>
        TypedResults.Ok(await TryView(grains, id, node) ?? throw NotFound(id));

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

        var updated = await app.Update(update);
        return TypedResults.Ok(updated.ToView(await app.GetInstances(), node));
    }

    private static async Task<NoContent> Delete(Guid id, IGrainFactory grains)
    {
        await grains.GetGrain<IAppGrain>(id).Delete();
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

    /// <summary>GET /v1/events?app=NAME: the events of the app with that name, or of the last deleted one.</summary>
    internal static async Task<Ok<List<EventView>>> EventsByName(string? app, int? limit, IGrainFactory grains)
    {
        if (string.IsNullOrWhiteSpace(app))
        {
            throw new InvalidAppException("name the app: GET /v1/events?app=NAME");
        }

        var space = grains.GetGrain<ISpaceGrain>(DefaultSpace);
        var id = await space.FindApp(app) ?? await space.FindDeletedApp(app)
            ?? throw new AppNotFoundException($"no app named '{app}' exists or was deleted recently");
        return TypedResults.Ok((await grains.GetGrain<IAppGrain>(id).GetEvents(limit ?? 100)).Select(e => e.ToView()).ToList());
    }

    internal static async Task<AppView?> TryView(IGrainFactory grains, Guid id, NodeSettings node)
    {
        var app = grains.GetGrain<IAppGrain>(id);
        var details = await app.Get();
        return details?.ToView(await app.GetInstances(), node);
    }

    internal static AppNotFoundException NotFound(Guid id) => new($"no app with id {id}: list apps with GET /v1/apps");

    private static ProblemHttpResult Invalid(IReadOnlyDictionary<string, string[]> errors) =>
        TypedResults.Problem(new HttpValidationProblemDetails(errors.ToDictionary())
        {
            Status = StatusCodes.Status422UnprocessableEntity,
            Title = "Invalid app",
            Detail = string.Join("; ", errors.SelectMany(e => e.Value)),
        });
}
