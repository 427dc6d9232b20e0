using System.Net;

namespace Granary.Cli.Api;

internal sealed partial class GranaryApiClient
{
    private static CliJsonContext Ctx => CliJsonContext.Default;

    public async Task<(ServerInfo Info, string Raw)> GetInfoAsync(CancellationToken ct)
    {
        var raw = await SendForTextAsync(HttpMethod.Get, "v1/info", null, ct);
        return (Deserialize(raw, Ctx.ServerInfo, "v1/info"), raw);
    }

    public async Task<(List<App> Apps, string Raw)> ListAppsAsync(CancellationToken ct)
    {
        var path = "v1/apps" + SpaceQuery('?');
        var raw = await SendForTextAsync(HttpMethod.Get, path, null, ct);
        return (Deserialize(raw, Ctx.ListApp, path), raw);
    }

    public async Task<App?> FindAppAsync(string name, CancellationToken ct)
    {
        var apps = await SendForJsonAsync(HttpMethod.Get, "v1/apps?name=" + Uri.EscapeDataString(name) + SpaceQuery('&'), null, Ctx.ListApp, ct);
        // The filter is the server's; matching again keeps a server that ignores it from renaming the wrong app.
        return apps.FirstOrDefault(a => a.Name == name);
    }

    /// <summary>The app named <paramref name="name"/>, or a "no app named" failure.</summary>
    public async Task<App> RequireAppAsync(string name, CancellationToken ct) =>
        await FindAppAsync(name, ct) ?? throw new CliException($"no app named '{name}' (see ./granary apps)");

    public async Task<(App App, string Raw)> GetAppAsync(string id, CancellationToken ct)
    {
        var path = "v1/apps/" + id;
        var raw = await SendForTextAsync(HttpMethod.Get, path, null, ct);
        return (Deserialize(raw, Ctx.App, path), raw);
    }

    public Task<App> CreateAppAsync(CreateAppRequest body, CancellationToken ct) =>
        SendForJsonAsync(HttpMethod.Post, "v1/apps", Json(body with { Space = body.Space ?? Space }, Ctx.CreateAppRequest), Ctx.App, ct);

    public Task<App> PatchAppAsync(string id, PatchAppRequest body, CancellationToken ct) =>
        SendForJsonAsync(HttpMethod.Patch, "v1/apps/" + id, Json(body, Ctx.PatchAppRequest), Ctx.App, ct);

    public Task<App> RestartAppAsync(string id, CancellationToken ct) =>
        SendForJsonAsync(HttpMethod.Post, $"v1/apps/{id}/restart", null, Ctx.App, ct);

    public Task DeleteAppAsync(string id, CancellationToken ct) =>
        SendForTextAsync(HttpMethod.Delete, "v1/apps/" + id, null, ct);

    public async Task<(List<AppEvent> Events, string Raw)> GetEventsAsync(string id, CancellationToken ct)
    {
        var path = $"v1/apps/{id}/events";
        var raw = await SendForTextAsync(HttpMethod.Get, path, null, ct);
        return (Deserialize(raw, Ctx.ListAppEvent, path), raw);
    }

    /// <summary>Events by app name: answers for a deleted app too (its events end with app.deleted).</summary>
    public async Task<(List<AppEvent> Events, string Raw)> GetEventsByNameAsync(string name, CancellationToken ct)
    {
        var path = $"v1/events?app={Uri.EscapeDataString(name)}{SpaceQuery('&')}";
        var raw = await SendForTextAsync(HttpMethod.Get, path, null, ct);
        return (Deserialize(raw, Ctx.ListAppEvent, path), raw);
    }

    public async Task<PackageUploaded> UploadPackageAsync(string archivePath, string contentType, string? command, CancellationToken ct)
    {
        var path = "v1/packages" + (string.IsNullOrEmpty(command) ? "" : "?command=" + Uri.EscapeDataString(command));
        await using var file = File.OpenRead(archivePath);
        using var content = new StreamContent(file);
        content.Headers.ContentType = new(contentType);
        return Deserialize(await UploadForTextAsync(path, content, ct, UploadTimeout), Ctx.PackageUploaded, path);
    }

    public Task<BuildStarted> StartBuildAsync(string appId, string packageId, CancellationToken ct) =>
        SendForJsonAsync(HttpMethod.Post, $"v1/apps/{appId}/builds", Json(new StartBuildRequest(packageId), Ctx.StartBuildRequest), Ctx.BuildStarted, ct);

    /// <summary>True once <c>/readyz</c> answers 200; false while it answers anything else or nothing.</summary>
    public async Task<bool> IsReadyAsync(CancellationToken ct)
    {
        try
        {
            using var response = await _http.GetAsync("readyz", ct);
            return response.StatusCode == HttpStatusCode.OK;
        }
        catch (HttpRequestException)
        {
            return false;
        }
    }
}
