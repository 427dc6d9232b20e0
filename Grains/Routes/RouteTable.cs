using System.Collections.Immutable;
using Granary.Routes;

namespace Granary.Routes;

/// <summary>
/// The route table as data: apps by id, hosts by name, a version, and a bounded log of which apps
/// changed at which version so edges can pull deltas. Pure apart from its own fields; the grain persists it.
/// </summary>
[GenerateSerializer, Alias("granary.route-table-state")]
public sealed class RouteTableState
{
    [Id(0)] public long Version { get; set; }
    [Id(1)] public Dictionary<Guid, AppRoutes> Apps { get; set; } = [];

    /// <summary>Chosen once when the table starts empty; a table whose state was lost gets a new one.</summary>
    [Id(2)] public long Epoch { get; set; }
}

public static class RouteTable
{
    /// <summary>How many changes are kept for deltas; an edge further behind gets a full snapshot.</summary>
    public const int ChangeLogSize = 10_000;

    /// <summary>Whether two entries would route the same way (ImmutableArray compares by reference, not content).</summary>
    public static bool Same(AppRoutes a, AppRoutes b) =>
        a.AppId == b.AppId && a.AppName == b.AppName && a.Policy == b.Policy
        && a.Hosts.SequenceEqual(b.Hosts) && a.Backends.SequenceEqual(b.Backends);

    public static string Normalize(string host) => host.Trim().TrimEnd('.').ToLowerInvariant();

    /// <summary>The app (other than <paramref name="appId"/>) holding one of <paramref name="hosts"/>, if any.</summary>
    public static (string Host, AppRoutes Holder)? Conflict(RouteTableState state, Guid appId, IEnumerable<string> hosts)
    {
        foreach (var host in hosts)
        {
            foreach (var other in state.Apps.Values)
            {
                if (other.AppId != appId && other.Hosts.Contains(host))
                {
                    return (host, other);
                }
            }
        }

        return null;
    }

    /// <summary>The changes an edge at <paramref name="since"/> needs to reach the current version.</summary>
    public static RouteTableChanges ChangesSince(RouteTableState state, IReadOnlyList<(long Version, Guid AppId)> log, long since)
    {
        if (since == state.Version)
        {
            return new RouteTableChanges(state.Version, false, [], [], state.Epoch);
        }

        var oldestKnown = log.Count > 0 ? log[0].Version - 1 : state.Version;
        if (since <= 0 || since > state.Version || since < oldestKnown)
        {
            return new RouteTableChanges(state.Version, true, [.. state.Apps.Values.OrderBy(a => a.AppName, StringComparer.Ordinal)], [], state.Epoch);
        }

        var changed = log.Where(c => c.Version > since).Select(c => c.AppId).Distinct().ToList();
        return new RouteTableChanges(
            state.Version,
            false,
            [.. changed.Where(state.Apps.ContainsKey).Select(id => state.Apps[id])],
            [.. changed.Where(id => !state.Apps.ContainsKey(id))],
            state.Epoch);
    }
}
