using Granary.Cli.Api;

namespace Granary.Cli.Node;

/// <summary>One node in <c>granary status</c>: its silo as membership sees it, its DEA as the health manager sees it.</summary>
/// <param name="Silo">ACTIVE, JOINING, STOPPING, or DOWN when no live silo has this node id.</param>
/// <param name="Health">The DEA's status (ALIVE, DRAINING, MISSING, DEAD), or null for a node without a DEA.</param>
/// <param name="Isolation">How the node's DEA isolates instances (full, none), or null without a DEA or a live silo.</param>
internal sealed record NodeStatusRow(string NodeId, IReadOnlyList<string> Roles, string Silo, int? Pid, string? Health, int? Instances,
    string? Version, string? Isolation = null);

/// <summary>What <c>granary status --json</c> prints.</summary>
internal sealed record NodeStatusReport(string? ThisNode, IReadOnlyList<LocalProcess> Processes, IReadOnlyList<NodeStatusRow> Nodes);

/// <summary>Pure: membership rows and DEA health rows → one row per node.</summary>
internal static class NodeStatusMerge
{
    public static IReadOnlyList<NodeStatusRow> Rows(IReadOnlyList<ClusterNode> silos, IReadOnlyList<Api.Node> deas)
    {
        var ids = silos.Select(s => s.NodeId).Concat(deas.Select(d => d.Id)).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal);
        return ids.Select(id =>
        {
            var silo = silos.FirstOrDefault(s => s.NodeId == id);
            var dea = deas.FirstOrDefault(d => d.Id == id);
            var health = dea is null ? null : dea.Draining && dea.Status == "ALIVE" ? "DRAINING" : dea.Status;
            return new NodeStatusRow(id, silo?.Roles ?? (dea is null ? [] : ["dea"]), silo?.Status ?? "DOWN", silo?.Pid, health, dea?.Instances,
                silo?.Version, silo?.Isolation);
        }).ToList();
    }
}
