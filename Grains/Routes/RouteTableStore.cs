using Orleans.Storage;

namespace Granary.Routes;

/// <summary>What activation found in storage (after moving an old single record into shards, if there was one).</summary>
internal sealed record RouteTableLoad(IReadOnlyList<AppRoutes> Apps, long Version, long Epoch, int Migrated, bool StaleLegacy);

/// <summary>
/// The route table in storage, through the grain storage API directly rather than one persistent state: a record
/// per shard, so a change writes only the shard of the app it touches, and a header with the epoch. It keeps what
/// each shard record holds and its etag; a write that fails changes neither.
/// </summary>
internal sealed class RouteTableStore(IGrainStorage storage, GrainId grainId)
{
    private readonly Dictionary<Guid, AppRoutes>[] _shards = [.. Enumerable.Range(0, RouteShards.Count).Select(_ => new Dictionary<Guid, AppRoutes>())];
    private readonly string?[] _etags = new string?[RouteShards.Count];
    private string? _headerEtag;

    /// <summary>
    /// How many shard records are read or written at once. Each one holds a pooled database connection while it
    /// runs: all 256 at once filled the silo's pool (100) and kept those connections open, idle, for minutes, which
    /// on a shared PostgreSQL ran the server out of connections for everyone else ("too many clients").
    /// </summary>
    internal const int ConcurrentShardOperations = 8;

    /// <summary>Whether the header (the epoch) is in storage; a change writes it first when it is not.</summary>
    public bool HeaderStored { get; private set; }

    public async Task<RouteTableLoad> LoadAsync(CancellationToken cancellationToken)
    {
        var header = await ReadAsync<RouteTableHeader>(RouteShards.HeaderStateName, cancellationToken);
        _headerEtag = header.Record.ETag;
        HeaderStored = header.State.Epoch != 0;
        if (HeaderStored && header.State.Shards != RouteShards.Count)
        {
            throw new InvalidOperationException(
                $"the route table was stored in {header.State.Shards} shards and this build uses {RouteShards.Count}: re-sharding is not implemented");
        }

        var shards = new (RouteShardState State, GrainState<RouteShardState> Record)[RouteShards.Count];
        await ForEachShardAsync(async shard => shards[shard] = await ReadAsync<RouteShardState>(RouteShards.StateName(shard), cancellationToken),
            cancellationToken);
        for (var shard = 0; shard < RouteShards.Count; shard++)
        {
            _etags[shard] = shards[shard].Record.ETag;
            _shards[shard] = shards[shard].State.Apps.ToDictionary(a => a.AppId);
        }

        var version = shards.Max(s => s.State.Version);
        var epoch = header.State.Epoch;
        var legacy = await ReadAsync<RouteTableState>(RouteShards.LegacyStateName, cancellationToken);
        var action = RouteShards.PlanLegacy(legacy.State, shards.Select(s => s.State.Version));
        if (action == LegacyRecordAction.Migrate)
        {
            await MigrateAsync(legacy.State, legacy.Record);
            version = legacy.State.Version;
            epoch = legacy.State.Epoch != 0 ? legacy.State.Epoch : epoch;
        }

        return new RouteTableLoad([.. _shards.SelectMany(s => s.Values)], version, epoch,
            action == LegacyRecordAction.Migrate ? legacy.State.Apps.Count : 0, action == LegacyRecordAction.Stale);
    }

    /// <summary>Stores one change: the shard of <paramref name="appId"/> with its new entry (null: removed) at <paramref name="version"/>.</summary>
    public Task SaveAsync(long version, Guid appId, AppRoutes? routes)
    {
        var shard = RouteShards.Of(appId);
        var apps = _shards[shard].Values.Where(a => a.AppId != appId).ToList();
        if (routes is not null)
        {
            apps.Add(routes);
        }

        return WriteShardAsync(shard, version, apps);
    }

    public async Task WriteHeaderAsync(long epoch)
    {
        var record = new GrainState<RouteTableHeader>(new RouteTableHeader { Epoch = epoch, Shards = RouteShards.Count }) { ETag = _headerEtag };
        await storage.WriteStateAsync(RouteShards.HeaderStateName, grainId, record);
        _headerEtag = record.ETag;
        HeaderStored = true;
    }

    /// <summary>
    /// Shards first, every one of them at the old record's version (so the table's version carries over, and an
    /// interrupted move is recognised and repeated), then the header with the old epoch (edges keep their table),
    /// and the old record is cleared last.
    /// </summary>
    private async Task MigrateAsync(RouteTableState legacy, GrainState<RouteTableState> record)
    {
        var byShard = legacy.Apps.Values.ToLookup(a => RouteShards.Of(a.AppId));
        await ForEachShardAsync(shard => new ValueTask(WriteShardAsync(shard, legacy.Version, [.. byShard[shard]])), CancellationToken.None);
        if (legacy.Epoch != 0)
        {
            await WriteHeaderAsync(legacy.Epoch);
        }

        await storage.ClearStateAsync(RouteShards.LegacyStateName, grainId, record);
    }

    private async Task WriteShardAsync(int shard, long version, List<AppRoutes> apps)
    {
        var record = new GrainState<RouteShardState>(new RouteShardState { Version = version, Apps = apps }) { ETag = _etags[shard] };
        await storage.WriteStateAsync(RouteShards.StateName(shard), grainId, record);
        _etags[shard] = record.ETag;
        _shards[shard] = apps.ToDictionary(a => a.AppId);
    }

    /// <summary>Runs on the grain's own scheduler (TaskScheduler.Current), like the rest of its turn.</summary>
    private static Task ForEachShardAsync(Func<int, ValueTask> operation, CancellationToken cancellationToken) =>
        Parallel.ForEachAsync(Enumerable.Range(0, RouteShards.Count),
            new ParallelOptions
            {
                MaxDegreeOfParallelism = ConcurrentShardOperations,
                CancellationToken = cancellationToken,
                TaskScheduler = TaskScheduler.Current,
            },
            (shard, _) => operation(shard));

    private async Task<(T State, GrainState<T> Record)> ReadAsync<T>(string stateName, CancellationToken cancellationToken) where T : class, new()
    {
        var record = new GrainState<T>(new T());
        await storage.ReadStateAsync(stateName, grainId, record, cancellationToken);
        // Storage providers differ on what a missing or cleared record reads as; to this table it is an empty one.
        record.State ??= new T();
        return (record.State, record);
    }
}
