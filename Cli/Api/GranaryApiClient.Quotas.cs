namespace Granary.Cli.Api;

internal sealed partial class GranaryApiClient
{
    public async Task<(List<QuotaEntry> Quotas, string Raw)> ListQuotasAsync(bool forSpaces, CancellationToken ct)
    {
        var path = forSpaces ? "v1/space_quotas" : "v1/quotas";
        var raw = await SendForTextAsync(HttpMethod.Get, path, null, ct);
        return (Deserialize(raw, Ctx.ListQuotaEntry, path), raw);
    }

    public Task<QuotaEntry> SetQuotaAsync(QuotaEntry quota, bool forSpaces, CancellationToken ct) =>
        SendForJsonAsync(HttpMethod.Post, forSpaces ? "v1/space_quotas" : "v1/quotas", Json(quota, Ctx.QuotaEntry), Ctx.QuotaEntry, ct);

    public Task AssignQuotaAsync(string org, string? space, string? quota, CancellationToken ct) =>
        SendForTextAsync(HttpMethod.Put, space is null ? $"v1/orgs/{Segment(org)}/quota" : $"v1/orgs/{Segment(org)}/spaces/{Segment(space)}/quota",
            Json(new AssignQuotaRequest(quota), Ctx.AssignQuotaRequest), ct);

    public Task<OrgUsageEntry> OrgUsageAsync(string org, CancellationToken ct) =>
        SendForJsonAsync(HttpMethod.Get, $"v1/orgs/{Segment(org)}/usage", null, Ctx.OrgUsageEntry, ct);
}
