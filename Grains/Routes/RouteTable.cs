namespace Granary.Routes;

/// <summary>
/// The route table as data: apps by id, a version and an epoch; the grain serves it from memory, keeps a bounded log
/// of which apps changed at which version so edges can pull deltas, and stores it in shards
/// (<see cref="RouteShards"/>). Before sharding it was stored whole in this shape (<see cref="RouteShards.LegacyStateName"/>),
/// which activation moves into the shards.
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
    public static (string Host, AppRoutes Holder)? Conflict(RouteTableState state, HostIndex index, Guid appId, IEnumerable<string> hosts) =>
        index.Conflict(appId, hosts) is { } conflict ? (conflict.Host, state.Apps[conflict.Holder]) : null;

    /// <summary>What a caller is told when a host it asked for is taken: the API's 409 detail carries it as is.</summary>
    /// <summary>Names the host but not what holds it: that app may be in a space the caller cannot see.</summary>
    public static string TakenMessage(string host, AppRoutes holder) => $"the host {host} is already taken: pick another host name";

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
