namespace Granary.Cli.Api;

internal sealed partial class GranaryApiClient
{
    private static string Segment(string value) => Uri.EscapeDataString(value);

    public async Task<(List<OrgEntry> Orgs, string Raw)> ListOrgsAsync(CancellationToken ct)
    {
        var raw = await SendForTextAsync(HttpMethod.Get, "v1/orgs", null, ct);
        return (Deserialize(raw, Ctx.ListOrgEntry, "v1/orgs"), raw);
    }

    public async Task<(OrgEntry Org, string Raw)> GetOrgAsync(string org, CancellationToken ct)
    {
        var path = $"v1/orgs/{Segment(org)}";
        var raw = await SendForTextAsync(HttpMethod.Get, path, null, ct);
        return (Deserialize(raw, Ctx.OrgEntry, path), raw);
    }

    public Task<OrgEntry> CreateOrgAsync(string name, CancellationToken ct) =>
        SendForJsonAsync(HttpMethod.Post, "v1/orgs", Json(new NameRequest(name), Ctx.NameRequest), Ctx.OrgEntry, ct);

    public Task<DeletedEntry> DeleteOrgAsync(string org, bool force, CancellationToken ct) =>
        SendForJsonAsync(HttpMethod.Delete, $"v1/orgs/{Segment(org)}?force={(force ? "true" : "false")}", null, Ctx.DeletedEntry, ct);

    public async Task<(List<AuditEventEntry> Events, string Raw)> AuditEventsAsync(string org, int limit, CancellationToken ct)
    {
        var path = $"v1/orgs/{Segment(org)}/audit_events?limit={limit}";
        var raw = await SendForTextAsync(HttpMethod.Get, path, null, ct);
        return (Deserialize(raw, Ctx.ListAuditEventEntry, path), raw);
    }

    public Task<SpaceEntry> CreateSpaceAsync(string org, string name, CancellationToken ct) =>
        SendForJsonAsync(HttpMethod.Post, $"v1/orgs/{Segment(org)}/spaces", Json(new NameRequest(name), Ctx.NameRequest), Ctx.SpaceEntry, ct);

    public Task<DeletedEntry> DeleteSpaceAsync(string org, string space, bool force, CancellationToken ct) =>
        SendForJsonAsync(HttpMethod.Delete, $"v1/orgs/{Segment(org)}/spaces/{Segment(space)}?force={(force ? "true" : "false")}", null, Ctx.DeletedEntry, ct);

    public async Task<(List<MemberEntry> Members, string Raw)> MembersAsync(string org, string? space, CancellationToken ct)
    {
        var path = space is null ? $"v1/orgs/{Segment(org)}/users" : $"v1/orgs/{Segment(org)}/spaces/{Segment(space)}/users";
        var raw = await SendForTextAsync(HttpMethod.Get, path, null, ct);
        return (Deserialize(raw, Ctx.ListMemberEntry, path), raw);
    }

    /// <summary>Gives (or with <paramref name="grant"/> false takes back) an org role, or a space role when <paramref name="space"/> is set.</summary>
    public Task SetRoleAsync(string org, string? space, string user, string role, bool grant, CancellationToken ct)
    {
        var where = space is null ? $"v1/orgs/{Segment(org)}" : $"v1/orgs/{Segment(org)}/spaces/{Segment(space)}";
        return SendForTextAsync(grant ? HttpMethod.Put : HttpMethod.Delete, $"{where}/users/{Segment(user)}/roles/{Segment(role)}", null, ct);
    }
}
