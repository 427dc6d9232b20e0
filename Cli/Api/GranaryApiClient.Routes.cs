namespace Granary.Cli.Api;

internal sealed partial class GranaryApiClient
{
    public async Task<(List<RouteEntry> Routes, string Raw)> ListRoutesAsync(CancellationToken ct)
    {
        var raw = await SendForTextAsync(HttpMethod.Get, "v1/routes", null, ct);
        return (Deserialize(raw, Ctx.ListRouteEntry, "v1/routes"), raw);
    }

    public Task<App> MapRouteAsync(string appId, string host, CancellationToken ct) =>
        SendForJsonAsync(HttpMethod.Post, $"v1/apps/{appId}/routes", Json(new MapRouteRequest(host), Ctx.MapRouteRequest), Ctx.App, ct);

    public Task<App> UnmapRouteAsync(string appId, string host, CancellationToken ct) =>
        SendForJsonAsync(HttpMethod.Delete, $"v1/apps/{appId}/routes/{Uri.EscapeDataString(host)}", null, Ctx.App, ct);
}
