using System.Collections;

namespace Granary.Edge.Routing;

/// <summary>
/// An immutable map built for a large table that changes a little at a time: a base dictionary (never written
/// after it is built; a FrozenDictionary reads a few nanoseconds faster but took ~1 s to build at 100k string
/// keys on this machine, against ~20 ms) plus a small
/// overlay of what changed since it was last folded. <see cref="With"/> copies only the overlay, so an update costs
/// O(changed) however large the table; once the overlay outgrows a sixteenth of the whole (at least
/// <see cref="MinFoldThreshold"/>) it is folded into a new base dictionary, amortized O(1) per change.
/// Readers keep whichever map they started with.
/// </summary>
public sealed class LayeredMap<TKey, TValue> : IReadOnlyDictionary<TKey, TValue>
    where TKey : notnull
    where TValue : class
{
    internal const int MinFoldThreshold = 512;

    private LayeredMap(Dictionary<TKey, TValue> baseMap, Dictionary<TKey, TValue?> overlay, int count)
    {
        Base = baseMap;
        Overlay = overlay;
        Count = count;
    }

    /// <summary>Everything as of the last fold.</summary>
    internal Dictionary<TKey, TValue> Base { get; }

    /// <summary>Changes since the last fold; a null value removes the base entry.</summary>
    internal Dictionary<TKey, TValue?> Overlay { get; }

    public int Count { get; }

    public IEqualityComparer<TKey> Comparer => Base.Comparer;

    public IEnumerable<TKey> Keys => this.Select(e => e.Key);

    public IEnumerable<TValue> Values => this.Select(e => e.Value);

    public TValue this[TKey key] => TryGetValue(key, out var value) ? value : throw new KeyNotFoundException($"{key} is not in the map");

    public static LayeredMap<TKey, TValue> Create(IEnumerable<KeyValuePair<TKey, TValue>> entries, IEqualityComparer<TKey>? comparer = null)
    {
        var baseMap = new Dictionary<TKey, TValue>(entries, comparer);
        return new(baseMap, new Dictionary<TKey, TValue?>(baseMap.Comparer), baseMap.Count);
    }

    public bool TryGetValue(TKey key, out TValue value)
    {
        if (Overlay.Count > 0 && Overlay.TryGetValue(key, out var changed))
        {
            value = changed!;
            return changed is not null;
        }

        return Base.TryGetValue(key, out value!);
    }

    public bool ContainsKey(TKey key) => TryGetValue(key, out _);

    /// <summary>A map with these keys set, or removed where the value is null; the rest as it was.</summary>
    public LayeredMap<TKey, TValue> With(IEnumerable<KeyValuePair<TKey, TValue?>> changes)
    {
        Dictionary<TKey, TValue?>? overlay = null;
        var count = Count;
        foreach (var (key, value) in changes)
        {
            overlay ??= new Dictionary<TKey, TValue?>(Overlay, Comparer);
            var had = overlay.TryGetValue(key, out var pending) ? pending is not null : Base.ContainsKey(key);
            if (value is null && !Base.ContainsKey(key))
            {
                overlay.Remove(key);
            }
            else
            {
                overlay[key] = value;
            }

            count += (value is null ? 0 : 1) - (had ? 1 : 0);
        }

        if (overlay is null)
        {
            return this;
        }

        return overlay.Count > Math.Max(MinFoldThreshold, Base.Count / 16)
            ? Create(Merge(overlay), Comparer)
            : new LayeredMap<TKey, TValue>(Base, overlay, count);
    }

    public IEnumerator<KeyValuePair<TKey, TValue>> GetEnumerator()
    {
        foreach (var entry in Base)
        {
            if (!Overlay.ContainsKey(entry.Key))
            {
                yield return entry;
            }
        }

        foreach (var (key, value) in Overlay)
        {
            if (value is not null)
            {
                yield return new(key, value);
            }
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    private IEnumerable<KeyValuePair<TKey, TValue>> Merge(Dictionary<TKey, TValue?> overlay)
    {
        foreach (var entry in Base)
        {
            if (!overlay.ContainsKey(entry.Key))
            {
                yield return entry;
            }
        }

        foreach (var (key, value) in overlay)
        {
            if (value is not null)
            {
                yield return new(key, value);
            }
        }
    }
}
