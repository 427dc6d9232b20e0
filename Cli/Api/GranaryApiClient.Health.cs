namespace Granary.Cli.Api;

internal sealed partial class GranaryApiClient
{
    public async Task<(List<Crash> Crashes, string Raw)> GetCrashesAsync(string appId, CancellationToken ct)
    {
        var path = $"v1/apps/{appId}/crashes";
        var raw = await SendForTextAsync(HttpMethod.Get, path, null, ct);
        return (Deserialize(raw, Ctx.ListCrash, path), raw);
    }

    public async Task<(List<InstanceStat> Stats, string Raw)> GetStatsAsync(string appId, CancellationToken ct)
    {
        var path = $"v1/apps/{appId}/stats";
        var raw = await SendForTextAsync(HttpMethod.Get, path, null, ct);
        return (Deserialize(raw, Ctx.ListInstanceStat, path), raw);
    }

    public async Task<(List<Node> Nodes, string Raw)> GetNodesAsync(CancellationToken ct)
    {
        var raw = await SendForTextAsync(HttpMethod.Get, "v1/nodes", null, ct);
        return (Deserialize(raw, Ctx.ListNode, "v1/nodes"), raw);
    }

    public Task<Node> GetNodeAsync(string node, CancellationToken ct) =>
        SendForJsonAsync(HttpMethod.Get, $"v1/nodes/{Uri.EscapeDataString(node)}", null, Ctx.Node, ct);

    public Task<Node> EvacuateNodeAsync(string node, CancellationToken ct) =>
        SendForJsonAsync(HttpMethod.Post, $"v1/nodes/{Uri.EscapeDataString(node)}/evacuate", null, Ctx.Node, ct);
}
