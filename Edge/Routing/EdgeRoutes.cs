using System.Collections.Immutable;

namespace Granary.Edge.Routing;

/// <summary>
/// What the edge routes by, for one route table version: host → app, and the apps by id. Immutable and swapped
/// whole (<see cref="EdgeRouter"/>), so a request never sees half an update; built by <see cref="EdgeRouteMapper"/>.
/// </summary>
public sealed class EdgeRoutes
{
    internal EdgeRoutes(RouteTable table, HostMap hosts, LayeredMap<Guid, AppRoute> apps,
        ImmutableDictionary<string, ImmutableSortedSet<Guid>> contested)
    {
        Table = table;
        Hosts = hosts;
        Apps = apps;
        Contested = contested;
    }

    public static EdgeRoutes Empty { get; } = new(RouteTable.Empty, HostMap.Empty, LayeredMap<Guid, AppRoute>.Create([]),
        ImmutableDictionary<string, ImmutableSortedSet<Guid>>.Empty.WithComparers(StringComparer.Ordinal));

    /// <summary>The route table these routes were built from.</summary>
    public RouteTable Table { get; }

    /// <summary>Each valid host name to the one app that holds it.</summary>
    public HostMap Hosts { get; }

    public LayeredMap<Guid, AppRoute> Apps { get; }

    /// <summary>Hosts claimed by more than one app, with every claimant (the lowest app id holds the host).</summary>
    public ImmutableDictionary<string, ImmutableSortedSet<Guid>> Contested { get; }

    /// <summary>
    /// The app a request's Host (without port, any case) goes to: its exact name, else the most specific
    /// <c>*.</c> wildcard above it, else none.
    /// </summary>
    public AppRoute? Find(string requestHost)
    {
        var host = HostNames.OfRequest(requestHost);
        if (host.IsEmpty)
        {
            return null;
        }

        if (Hosts.TryGetValue(host, out var app))
        {
            return app;
        }

        return Hosts.Wildcards == 0 ? null : FindWildcard(host);
    }

    private AppRoute? FindWildcard(ReadOnlySpan<char> host)
    {
        Span<char> key = host.Length <= 256 ? stackalloc char[host.Length + 2] : new char[host.Length + 2];
        key[0] = '*';
        key[1] = '.';
        var parent = host;
        while (parent.IndexOf('.') is var dot and >= 0 && dot < parent.Length - 1)
        {
            parent = parent[(dot + 1)..];
            parent.CopyTo(key[2..]);
            if (Hosts.TryGetValue(key[..(parent.Length + 2)], out var app))
            {
                return app;
            }
        }

        return null;
    }
}
