using System.Collections.Frozen;

namespace Granary.Edge.Routing;

/// <summary>
/// Host name → app, read on every request, replaced on every route change. A frozen dictionary (the fastest
/// read .NET has) plus a small overlay of what changed since it was frozen: an update copies only the overlay,
/// so it costs O(changed hosts), and once the overlay grows past a fraction of the whole it is folded into a
/// new frozen dictionary (amortized O(1) per change). Immutable: readers hold whichever map they started with.
/// Keys compare ordinal-ignore-case, and lookups take spans, so a request's Host is matched without a copy.
/// </summary>
public sealed class HostMap
{
    /// <summary>The overlay is folded in when it holds more than this many hosts, or a sixteenth of the map.</summary>
    internal const int MinFoldThreshold = 512;

    private static readonly StringComparer Comparer = StringComparer.OrdinalIgnoreCase;

    private readonly FrozenDictionary<string, AppRoute> _frozen;
    private readonly FrozenDictionary<string, AppRoute>.AlternateLookup<ReadOnlySpan<char>> _frozenLookup;

    // Null values are removals of frozen entries.
    private readonly Dictionary<string, AppRoute?> _overlay;
    private readonly Dictionary<string, AppRoute?>.AlternateLookup<ReadOnlySpan<char>> _overlayLookup;

    private HostMap(FrozenDictionary<string, AppRoute> frozen, Dictionary<string, AppRoute?> overlay, int count, int wildcards)
    {
        _frozen = frozen;
        _frozenLookup = frozen.GetAlternateLookup<ReadOnlySpan<char>>();
        _overlay = overlay;
        _overlayLookup = overlay.GetAlternateLookup<ReadOnlySpan<char>>();
        Count = count;
        Wildcards = wildcards;
    }

    public static HostMap Empty { get; } = Create([]);

    public int Count { get; }

    /// <summary>How many keys are <c>*.</c> wildcards: none (the usual case) skips the wildcard search on a miss.</summary>
    public int Wildcards { get; }

    /// <summary>Entries still outside the frozen dictionary (for tests and the provider's log).</summary>
    public int OverlayCount => _overlay.Count;

    public static HostMap Create(IEnumerable<KeyValuePair<string, AppRoute>> hosts)
    {
        var frozen = hosts.ToFrozenDictionary(Comparer);
        return new HostMap(frozen, new Dictionary<string, AppRoute?>(Comparer), frozen.Count, frozen.Keys.Count(HostNames.IsWildcard));
    }

    public bool TryGetValue(ReadOnlySpan<char> host, out AppRoute app)
    {
        if (_overlay.Count > 0 && _overlayLookup.TryGetValue(host, out var changed))
        {
            app = changed!;
            return changed is not null;
        }

        return _frozenLookup.TryGetValue(host, out app!);
    }

    public bool TryGetValue(string host, out AppRoute app) => TryGetValue(host.AsSpan(), out app);

    /// <summary>A map with these hosts set (to an app) or removed (null), the rest as it was.</summary>
    public HostMap With(IReadOnlyCollection<KeyValuePair<string, AppRoute?>> changes)
    {
        if (changes.Count == 0)
        {
            return this;
        }

        var overlay = new Dictionary<string, AppRoute?>(_overlay, Comparer);
        var count = Count;
        var wildcards = Wildcards;
        foreach (var (host, app) in changes)
        {
            var had = TryGetValue(host, out _);
            var frozenHas = _frozen.ContainsKey(host);
            if (app is null && !frozenHas)
            {
                overlay.Remove(host);
            }
            else
            {
                overlay[host] = app;
            }

            var delta = (app is null ? 0 : 1) - (had ? 1 : 0);
            count += delta;
            wildcards += HostNames.IsWildcard(host) ? delta : 0;
        }

        if (overlay.Count > Math.Max(MinFoldThreshold, _frozen.Count / 16))
        {
            return Fold(overlay, count, wildcards);
        }

        return new HostMap(_frozen, overlay, count, wildcards);
    }

    public IEnumerable<KeyValuePair<string, AppRoute>> Entries()
    {
        foreach (var (host, app) in _frozen)
        {
            if (!_overlay.ContainsKey(host))
            {
                yield return new(host, app);
            }
        }

        foreach (var (host, app) in _overlay)
        {
            if (app is not null)
            {
                yield return new(host, app);
            }
        }
    }

    private HostMap Fold(Dictionary<string, AppRoute?> overlay, int count, int wildcards)
    {
        var all = new Dictionary<string, AppRoute>(count, Comparer);
        foreach (var (host, app) in _frozen)
        {
            all[host] = app;
        }

        foreach (var (host, app) in overlay)
        {
            if (app is null)
            {
                all.Remove(host);
            }
            else
            {
                all[host] = app;
            }
        }

        return new HostMap(all.ToFrozenDictionary(Comparer), new Dictionary<string, AppRoute?>(Comparer), count, wildcards);
    }
}
