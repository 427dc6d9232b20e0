namespace Granary.Edge.Routing;

/// <summary>
/// Host name → app, read on every request (a <see cref="LayeredMap{TKey,TValue}"/>: updates cost what changed).
/// Keys compare ordinal-ignore-case and lookups take spans, so a request's Host is matched without a copy.
/// </summary>
public sealed class HostMap
{
    private readonly LayeredMap<string, AppRoute> _map;
    private readonly Dictionary<string, AppRoute>.AlternateLookup<ReadOnlySpan<char>> _base;
    private readonly Dictionary<string, AppRoute?>.AlternateLookup<ReadOnlySpan<char>> _overlay;

    private HostMap(LayeredMap<string, AppRoute> map, int wildcards)
    {
        _map = map;
        _base = map.Base.GetAlternateLookup<ReadOnlySpan<char>>();
        _overlay = map.Overlay.GetAlternateLookup<ReadOnlySpan<char>>();
        Wildcards = wildcards;
    }

    public static HostMap Empty { get; } = Create([]);

    public int Count => _map.Count;

    /// <summary>How many keys are <c>*.</c> wildcards: none (the usual case) skips the wildcard search on a miss.</summary>
    public int Wildcards { get; }

    /// <summary>Entries still outside the base dictionary.</summary>
    public int OverlayCount => _map.Overlay.Count;

    public static HostMap Create(IEnumerable<KeyValuePair<string, AppRoute>> hosts)
    {
        var map = LayeredMap<string, AppRoute>.Create(hosts, StringComparer.OrdinalIgnoreCase);
        return new HostMap(map, map.Base.Keys.Count(HostNames.IsWildcard));
    }

    public bool TryGetValue(ReadOnlySpan<char> host, out AppRoute app)
    {
        if (_map.Overlay.Count > 0 && _overlay.TryGetValue(host, out var changed))
        {
            app = changed!;
            return changed is not null;
        }

        return _base.TryGetValue(host, out app!);
    }

    public bool TryGetValue(string host, out AppRoute app) => TryGetValue(host.AsSpan(), out app);

    /// <summary>A map with these hosts set (to an app) or removed (null), the rest as it was.</summary>
    public HostMap With(IReadOnlyCollection<KeyValuePair<string, AppRoute?>> changes)
    {
        var wildcards = Wildcards;
        foreach (var (host, app) in changes)
        {
            if (HostNames.IsWildcard(host))
            {
                wildcards += (app is null ? 0 : 1) - (_map.ContainsKey(host) ? 1 : 0);
            }
        }

        var map = _map.With(changes);
        return ReferenceEquals(map, _map) ? this : new HostMap(map, wildcards);
    }

    public IEnumerable<KeyValuePair<string, AppRoute>> Entries() => _map;
}
