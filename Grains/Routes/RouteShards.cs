namespace Granary.Routes;

/// <summary>What the stored route table found on activation says to do with the old single record.</summary>
public enum LegacyRecordAction
{
    /// <summary>There is none, or it was already moved into shards and cleared.</summary>
    None = 0,

    /// <summary>Write its apps into the shards (again, if a move was interrupted), then clear it.</summary>
    Migrate = 1,

    /// <summary>The shards hold changes made after it: it is stale, so it is left alone and not read.</summary>
    Stale = 2,
}

/// <summary>
/// How the route table is laid out in storage: apps spread over a fixed number of shard records by a stable hash
/// of their id, so one change rewrites one shard instead of the whole table, and a header record with the epoch.
/// </summary>
public static class RouteShards
{
    /// <summary>
    /// Fixed, because an app's shard is where its routes are stored: changing it would strand apps in shards that
    /// no longer own them. The header records the count it was written with, and activation refuses a mismatch.
    /// A change costs about the size of its shard: at 100k apps (~400 per shard, ~160 KB of JSON) bench/edge/
    /// route-writes.sh measured SetApp p50 ≈ 5-6 ms on PostgreSQL, against ≈ 17-18 ms with 64 shards, while
    /// reading all 256 records on activation took no longer than reading 64.
    /// </summary>
    public const int Count = 256;

    /// <summary>The single record the whole table lived in before it was sharded.</summary>
    public const string LegacyStateName = "routes";

    public const string HeaderStateName = "routes-header";

    public static string StateName(int shard) => $"routes-shard-{shard:D3}";

    /// <summary>
    /// The shard of an app: FNV-1a over the id's 16 bytes (in <see cref="Guid.ToByteArray()"/>'s fixed order).
    /// Not <see cref="Guid.GetHashCode"/> or string hashing, which may differ between processes and releases,
    /// and not a slice of the id, which is not uniform for time-ordered ids.
    /// </summary>
    public static int Of(Guid appId)
    {
        Span<byte> bytes = stackalloc byte[16];
        appId.TryWriteBytes(bytes);
        var hash = 2166136261u;
        foreach (var b in bytes)
        {
            hash = (hash ^ b) * 16777619u;
        }

        return (int)(hash % Count);
    }

    /// <summary>
    /// Whether to move the old single record into the shards. It is moved while it holds anything (apps, or just
    /// the epoch of a table with no apps yet) unless a shard was written after it: a move writes every shard at the
    /// old record's version and clears the old record last, so shards at or below that version are at most an
    /// interrupted earlier move, and writing them again from the old record loses nothing.
    /// </summary>
    public static LegacyRecordAction PlanLegacy(RouteTableState legacy, IEnumerable<long> shardVersions)
    {
        if (legacy.Apps.Count == 0 && legacy.Epoch == 0 && legacy.Version == 0)
        {
            return LegacyRecordAction.None;
        }

        return shardVersions.Any(v => v > legacy.Version) ? LegacyRecordAction.Stale : LegacyRecordAction.Migrate;
    }
}
