using Granary.Routes;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Storage;

namespace Granary.Tests.Persistence;

/// <summary>The sharded route table on the real ADO.NET grain storage, Granary's schema and JSON serializer.</summary>
public sealed class RouteTablePostgresTests
{
    [Fact]
    public async Task RouteTable_OldRecordInPostgres_MovedToShardsWritesOneShardPerChangeAndSurvivesARestart()
    {
        var db = await PersistenceDatabase.CreateMigratedAsync("routes");
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var key = "pg-" + suffix; // a table of the test's own: nothing else in the cluster touches it
        var legacy = new RouteTableState { Version = 300, Epoch = 31337 };
        var apps = Enumerable.Range(0, 200)
            .Select(i => new AppRoutes(Guid.NewGuid(), $"app{i}", [$"app{i}.x"], [new RouteBackend(Guid.NewGuid(), 0, "10.0.0.1", 61000 + i)], RoutePolicy.Default))
            .ToList();
        apps.ForEach(a => legacy.Apps[a.AppId] = a);
        var changed = apps[17] with { Backends = [new RouteBackend(Guid.NewGuid(), 0, "10.0.0.9", 62000)] };

        await using (var first = await PostgresTestCluster.StartAsync(db, 1, "routes-a-" + suffix))
        {
            var storage = first.Silos[0].ServiceProvider.GetRequiredKeyedService<IGrainStorage>(GrainStorage.Name);
            var table = first.Client.GetGrain<IRouteTableGrain>(key);
            var id = table.GetGrainId();
            await storage.WriteStateAsync(RouteShards.LegacyStateName, id, new GrainState<RouteTableState>(legacy));

            var loaded = await table.GetChangesSince(0);
            Assert.Equal((300L, 31337L, 200), (loaded.Version, loaded.Epoch, loaded.Changed.Length));
            Assert.Equal(0L, await PersistenceDatabase.ScalarAsync<long>(db,
                $"SELECT count(*) FROM OrleansStorage WHERE GrainTypeString = '{RouteShards.LegacyStateName}' AND PayloadBinary IS NOT NULL"));

            var before = await ShardEtagsAsync(storage, id);
            Assert.Equal(301, await table.SetApp(changed));
            var after = await ShardEtagsAsync(storage, id);
            Assert.Equal([RouteShards.Of(changed.AppId)], Enumerable.Range(0, RouteShards.Count).Where(s => before[s] != after[s]).ToArray());
        }

        await using var second = await PostgresTestCluster.StartAsync(db, 1, "routes-b-" + suffix);
        var reloaded = await second.Client.GetGrain<IRouteTableGrain>(key).GetChangesSince(0);
        Assert.Equal((301L, 31337L, 200), (reloaded.Version, reloaded.Epoch, reloaded.Changed.Length));
        Assert.True(RouteTable.Same(changed, reloaded.Changed.Single(a => a.AppId == changed.AppId)));
        Assert.Equal(apps[42].AppId, await second.Client.GetGrain<IRouteTableGrain>(key).FindHost("app42.x"));
    }

    /// <summary>
    /// Reading 256 shard records at once took 100 connections (the whole pool) and the pool kept them open: a few
    /// route tables activating on one PostgreSQL ran it out of connections for every other client.
    /// </summary>
    [Fact]
    public async Task RouteTable_Activation_HoldsAFewDatabaseConnectionsNotAPoolfull()
    {
        var db = await PersistenceDatabase.CreateMigratedAsync("routes");
        var suffix = Guid.NewGuid().ToString("N")[..8];
        await using var cluster = await PostgresTestCluster.StartAsync(db, 1, "routes-c-" + suffix);

        var loaded = await cluster.Client.GetGrain<IRouteTableGrain>("pg-" + suffix).GetChangesSince(0);

        Assert.Empty(loaded.Changed);
        var connections = await PersistenceDatabase.ScalarAsync<long>(db,
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()");
        Assert.True(connections <= RouteTableStore.ConcurrentShardOperations + 12,
            $"{connections} connections to the database after one route table activated");
    }

    private static async Task<string?[]> ShardEtagsAsync(IGrainStorage storage, GrainId id)
    {
        var etags = new string?[RouteShards.Count];
        for (var shard = 0; shard < RouteShards.Count; shard++)
        {
            var record = new GrainState<RouteShardState>(new RouteShardState());
            await storage.ReadStateAsync(RouteShards.StateName(shard), id, record);
            etags[shard] = record.ETag;
        }

        return etags;
    }
}
