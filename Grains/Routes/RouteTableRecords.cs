namespace Granary.Routes;

/// <summary>
/// One stored shard of the route table: the apps whose id falls in it (<see cref="RouteShards.Of"/>) and the table
/// version of the change that last wrote it. The table's version is the highest over its shards, because every
/// change writes its shard at the version it creates. Stored as JSON: property names are schema.
/// </summary>
[GenerateSerializer, Alias("granary.route-shard-state")]
public sealed class RouteShardState
{
    [Id(0)] public long Version { get; set; }
    [Id(1)] public List<AppRoutes> Apps { get; set; } = [];
}

/// <summary>The route table's header record: written once when the table starts, not with each change.</summary>
[GenerateSerializer, Alias("granary.route-table-header")]
public sealed class RouteTableHeader
{
    /// <summary>See <see cref="RouteTableState.Epoch"/>: 0 means no header was stored.</summary>
    [Id(0)] public long Epoch { get; set; }

    /// <summary>The shard count the table was written with (<see cref="RouteShards.Count"/>).</summary>
    [Id(1)] public int Shards { get; set; }
}
