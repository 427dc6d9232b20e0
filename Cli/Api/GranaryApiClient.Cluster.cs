namespace Granary.Cli.Api;

internal sealed partial class GranaryApiClient
{
    public Task<List<ClusterNode>> GetClusterNodesAsync(CancellationToken ct) =>
        SendForJsonAsync(HttpMethod.Get, "v1/cluster/nodes", null, Ctx.ListClusterNode, ct);

    public Task<JoinTokenEntry> IssueJoinTokenAsync(TimeSpan ttl, CancellationToken ct) =>
        SendForJsonAsync(HttpMethod.Post, "v1/cluster/join_tokens", Json(new JoinTokenRequest(ttl), Ctx.JoinTokenRequest), Ctx.JoinTokenEntry, ct);

    public Task<ClusterJoin> GetJoinAsync(CancellationToken ct) =>
        SendForJsonAsync(HttpMethod.Get, "v1/cluster/join", null, Ctx.ClusterJoin, ct);

    public Task<ClusterConfigView> GetClusterConfigAsync(CancellationToken ct) =>
        SendForJsonAsync(HttpMethod.Get, "v1/cluster/config", null, Ctx.ClusterConfigView, ct);

    public Task<ClusterConfigView> SetClusterConfigAsync(string key, string? value, CancellationToken ct) =>
        SendForJsonAsync(HttpMethod.Put, $"v1/cluster/config/{Uri.EscapeDataString(key)}",
            Json(new SetConfigRequest(value), Ctx.SetConfigRequest), Ctx.ClusterConfigView, ct);
}
