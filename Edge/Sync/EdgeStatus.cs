using Granary.Edge.Routing;

namespace Granary.Edge.Sync;

/// <summary>What <c>/_granary/health</c> answers.</summary>
public readonly record struct EdgeHealthReport(int StatusCode, string Body, bool Degraded);

/// <summary>
/// Whether the edge is in step with the control plane. A table once loaded is served whatever happens
/// to the control plane; this only says whether it may be stale.
/// </summary>
public sealed class EdgeStatus(EdgeRouter provider)
{
    private volatile string? _problem = "connecting to the control plane";

    public string? Problem => _problem;

    public void Synced() => _problem = null;

    public void Degraded(string reason) => _problem = reason;

    public EdgeHealthReport Report()
    {
        var problem = _problem;
        if (!provider.Table.Loaded)
        {
            return new(503, $"no route table loaded yet: {problem ?? "waiting for the first snapshot"}\n", true);
        }

        return problem is null ? new(200, "ok\n", false) : new(200, $"degraded: {problem}\n", true);
    }
}
