using System.Collections.Immutable;
using Granary.Apps;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Storage;

namespace Granary.Tests.Persistence;

/// <summary>Granary's grain state in PostgreSQL through the real ADO.NET storage provider and Granary's JSON serializer.</summary>
public sealed class GrainStateTests
{
    [Fact]
    public async Task AppGrain_EnvRoutesAndEvents_SurviveAWholeClusterRestart()
    {
        var db = await PersistenceDatabase.CreateMigratedAsync("state");
        var env = ImmutableDictionary<string, string>.Empty.Add("GREETING", "hello world").Add("EMPTY", "").Add("JSON", "{\"a\":[1,2]}");
        Guid id;
        await using (var first = await PostgresTestCluster.StartAsync(db, 1, "state-a"))
        {
            var created = await first.Client.GetGrain<ISpaceGrain>("restart").CreateApp(ClusteringTests.Spec("keeper", env));
            id = created.Id;
            var app = first.Client.GetGrain<IAppGrain>(id);
            await app.MapRoute("www.keeper.example");
            await app.Update(new AppUpdate(MemoryMb: 256));
        }

        await using var second = await PostgresTestCluster.StartAsync(db, 1, "state-b");
        var found = await second.Client.GetGrain<ISpaceGrain>("restart").FindApp("keeper");
        Assert.Equal(id, found);
        var details = await second.Client.GetGrain<IAppGrain>(id).Get();
        Assert.NotNull(details);
        Assert.True(AppSpec.SameEnv(env, details.Spec.Env), string.Join(",", details.Spec.Env));
        Assert.Equal(256, details.Spec.MemoryMb);
        Assert.Contains("www.keeper.example", details.Routes);
        var events = await second.Client.GetGrain<IAppGrain>(id).GetEvents(50);
        Assert.NotEmpty(events);
    }

    [Fact]
    public async Task WriteState_WithAStaleEtag_IsRejectedAndTheStoredStateKept()
    {
        var db = await PersistenceDatabase.CreateMigratedAsync("state");
        await using var cluster = await PostgresTestCluster.StartAsync(db, 1, "etag-" + Guid.NewGuid().ToString("N")[..8]);
        var storage = cluster.Silos[0].ServiceProvider.GetRequiredKeyedService<IGrainStorage>(GrainStorage.Name);
        var grainId = GrainId.Create("granary-test", Guid.NewGuid().ToString("N"));

        var winner = new GrainState<AppGrainState>(new AppGrainState()) ;
        await storage.ReadStateAsync("AppGrain", grainId, winner);
        var loser = new GrainState<AppGrainState>(new AppGrainState()) ;
        await storage.ReadStateAsync("AppGrain", grainId, loser);

        winner.State!.StagedPackageId = "from-the-winner";
        await storage.WriteStateAsync("AppGrain", grainId, winner);
        loser.State!.StagedPackageId = "from-the-loser";
        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.WriteStateAsync("AppGrain", grainId, loser));

        // An update on top of a stale read loses too, and the winner can keep writing.
        winner.State!.StagedPackageId = "second-write";
        await storage.WriteStateAsync("AppGrain", grainId, winner);
        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.WriteStateAsync("AppGrain", grainId, loser));

        var reread = new GrainState<AppGrainState>(new AppGrainState()) ;
        await storage.ReadStateAsync("AppGrain", grainId, reread);
        Assert.Equal("second-write", reread.State!.StagedPackageId);
        Assert.Equal(winner.ETag, reread.ETag);
    }

    [Fact]
    public async Task ClearState_ThenWrite_StartsAgainFromEmpty()
    {
        var db = await PersistenceDatabase.CreateMigratedAsync("state");
        await using var cluster = await PostgresTestCluster.StartAsync(db, 1, "clear-" + Guid.NewGuid().ToString("N")[..8]);
        var storage = cluster.Silos[0].ServiceProvider.GetRequiredKeyedService<IGrainStorage>(GrainStorage.Name);
        var grainId = GrainId.Create("granary-test", Guid.NewGuid().ToString("N"));
        var state = new GrainState<AppGrainState>(new AppGrainState { StagedPackageId = "p1" });
        await storage.WriteStateAsync("AppGrain", grainId, state);

        await storage.ClearStateAsync("AppGrain", grainId, state);
        var afterClear = new GrainState<AppGrainState>(new AppGrainState()) ;
        await storage.ReadStateAsync("AppGrain", grainId, afterClear);
        Assert.Null(afterClear.State!.StagedPackageId);

        afterClear.State!.StagedPackageId = "p2";
        await storage.WriteStateAsync("AppGrain", grainId, afterClear);
        var final = new GrainState<AppGrainState>(new AppGrainState()) ;
        await storage.ReadStateAsync("AppGrain", grainId, final);
        Assert.Equal("p2", final.State!.StagedPackageId);
    }
}
