using Granary.Routes;

namespace Granary.Tests.Routes;

/// <summary>The route table grain on storage that outlives its activations: sharded writes, reloads, failures.</summary>
[Collection(RouteTableCollection.Name)]
public sealed class RouteTableGrainTests(RouteTableCluster fixture)
{
    private static AppRoutes App(string name, params string[] hosts) =>
        new(Guid.NewGuid(), name, [.. hosts], [new RouteBackend(Guid.NewGuid(), 0, "10.0.0.1", 61000)], RoutePolicy.Default);

    [Fact]
    public async Task SetApp_AfterAReactivation_TableEpochAndHostsAllBack()
    {
        var (table, _) = fixture.NewTable();
        var apps = Enumerable.Range(0, 20).Select(i => App($"app{i}", $"app{i}.x")).ToList();
        foreach (var app in apps)
        {
            await table.SetApp(app);
        }

        await table.RemoveApp(apps[3].AppId);
        var before = await table.GetChangesSince(0);

        await fixture.ReactivateAsync(table);

        var after = await table.GetChangesSince(0);
        Assert.Equal(21, after.Version);
        Assert.Equal(before.Epoch, after.Epoch);
        Assert.Equal(before.Changed.Select(a => a.AppName), after.Changed.Select(a => a.AppName));
        Assert.Equal(19, after.Changed.Length);
        // The host index is rebuilt from what was loaded: lookups and conflicts work as before.
        Assert.Equal(apps[7].AppId, await table.FindHost("APP7.x."));
        Assert.Null(await table.FindHost("app3.x"));
        var taken = await Assert.ThrowsAsync<RouteTakenException>(() => table.SetApp(App("thief", "app5.x")));
        Assert.Equal("the host app5.x is already taken: pick another host name", taken.Message);
    }

    [Fact]
    public async Task SetApp_OneAppChanged_OnlyItsShardWritten()
    {
        var (table, id) = fixture.NewTable();
        var apps = Enumerable.Range(0, 40).Select(i => App($"app{i}", $"app{i}.x")).ToList();
        foreach (var app in apps)
        {
            await table.SetApp(app);
        }

        var written = fixture.Storage.Writes(id).Count;
        var changed = apps[11] with { Backends = [new RouteBackend(Guid.NewGuid(), 0, "10.0.0.2", 61001)] };
        await table.SetApp(changed);
        await table.RemoveApp(apps[12].AppId);
        await table.SetApp(changed); // no change: nothing to write

        Assert.Equal([RouteShards.StateName(RouteShards.Of(changed.AppId)), RouteShards.StateName(RouteShards.Of(apps[12].AppId))],
            fixture.Storage.Writes(id).Skip(written));
    }

    [Fact]
    public async Task SetApp_WriteFails_CallerToldAndTableAsBefore()
    {
        var (table, id) = fixture.NewTable();
        var kept = App("kept", "kept.x");
        await table.SetApp(kept);
        var before = await table.GetChangesSince(0);

        fixture.Storage.FailNextWrites(id, 1);
        await Assert.ThrowsAnyAsync<Exception>(() => table.SetApp(App("lost", "lost.x")));
        fixture.Storage.FailNextWrites(id, 1);
        await Assert.ThrowsAnyAsync<Exception>(() => table.SetApp(kept with { Hosts = ["moved.x"] }));

        var after = await table.GetChangesSince(0);
        Assert.Equal(before.Version, after.Version);
        Assert.Equal(before.Epoch, after.Epoch);
        Assert.Equal(["kept.x"], Assert.Single(after.Changed).Hosts.ToArray());
        Assert.Null(await table.FindHost("lost.x"));
        Assert.Equal(kept.AppId, await table.FindHost("kept.x"));
        // The host a failed change would have taken is still free, and the next change gets the next version.
        Assert.Equal(before.Version + 1, await table.SetApp(App("next", "lost.x")));
    }

    [Fact]
    public async Task Activation_EpochWriteFails_TableServedAndEpochStoredWithTheNextChange()
    {
        var (table, id) = fixture.NewTable();
        fixture.Storage.FailNextWrites(id, 1);

        var served = await table.GetChangesSince(0);
        var app = App("a", "a.x");
        await table.SetApp(app);

        Assert.NotEqual(0, served.Epoch);
        Assert.Equal([RouteShards.HeaderStateName, RouteShards.StateName(RouteShards.Of(app.AppId))], fixture.Storage.Writes(id));
        await fixture.ReactivateAsync(table);
        Assert.Equal((1L, served.Epoch), ((await table.GetChangesSince(0)).Version, (await table.GetChangesSince(0)).Epoch));
    }

    [Fact]
    public async Task Activation_OldSingleRecord_MovedIntoShardsAndCleared()
    {
        var (table, id) = fixture.NewTable();
        var legacy = new RouteTableState { Version = 57, Epoch = 4242 };
        var apps = Enumerable.Range(0, 30).Select(i => App($"old{i}", $"old{i}.x")).ToList();
        apps.ForEach(a => legacy.Apps[a.AppId] = a);
        await fixture.WriteAsync(id, RouteShards.LegacyStateName, legacy);

        var loaded = await table.GetChangesSince(0);

        Assert.Equal(57, loaded.Version);
        Assert.Equal(4242, loaded.Epoch);
        Assert.Equal(apps.Select(a => a.AppName).Order(), loaded.Changed.Select(a => a.AppName).Order());
        var old = await fixture.ReadAsync<RouteTableState>(id, RouteShards.LegacyStateName);
        Assert.Empty(old.Apps);
        Assert.Equal(0, old.Epoch);
        var home = await fixture.ReadAsync<RouteShardState>(id, RouteShards.StateName(RouteShards.Of(apps[4].AppId)));
        Assert.Contains(home.Apps, a => a.AppId == apps[4].AppId);

        // An edge holding version 57 of epoch 4242 is up to date, before and after another reactivation.
        await fixture.ReactivateAsync(table);
        var again = await table.GetChangesSince(57);
        Assert.False(again.IsFull);
        Assert.Equal((57L, 4242L), (again.Version, again.Epoch));
        Assert.Equal(58, await table.SetApp(apps[0] with { Hosts = ["new.x"] }));
        Assert.Equal(apps[0].AppId, await table.FindHost("new.x"));
    }

    [Fact]
    public async Task Activation_MoveInterruptedAfterSomeShards_DoneAgainWithoutLoss()
    {
        var (table, id) = fixture.NewTable();
        var legacy = new RouteTableState { Version = 9, Epoch = 99 };
        var apps = Enumerable.Range(0, 12).Select(i => App($"old{i}", $"old{i}.x")).ToList();
        apps.ForEach(a => legacy.Apps[a.AppId] = a);
        await fixture.WriteAsync(id, RouteShards.LegacyStateName, legacy);
        // What an earlier activation left when it died after writing one shard of the move.
        var first = RouteShards.Of(apps[0].AppId);
        await fixture.WriteAsync(id, RouteShards.StateName(first),
            new RouteShardState { Version = 9, Apps = [.. apps.Where(a => RouteShards.Of(a.AppId) == first)] });

        var loaded = await table.GetChangesSince(0);

        Assert.Equal((9L, 99L), (loaded.Version, loaded.Epoch));
        Assert.Equal(12, loaded.Changed.Length);
        Assert.Equal(12, loaded.Changed.Select(a => a.AppId).Distinct().Count());
        Assert.Equal([RouteShards.LegacyStateName], fixture.Storage.Clears(id));
    }

    [Fact]
    public async Task Activation_OldRecordOlderThanTheShards_LeftAloneAndNotServed()
    {
        var (table, id) = fixture.NewTable();
        var current = App("current", "current.x");
        await table.SetApp(current);
        var stale = new RouteTableState { Version = 0, Epoch = 1 };
        var ghost = App("ghost", "ghost.x");
        stale.Apps[ghost.AppId] = ghost;
        await fixture.WriteAsync(id, RouteShards.LegacyStateName, stale);

        await fixture.ReactivateAsync(table);

        var loaded = await table.GetChangesSince(0);
        Assert.Equal(["current"], loaded.Changed.Select(a => a.AppName).ToArray());
        Assert.Single((await fixture.ReadAsync<RouteTableState>(id, RouteShards.LegacyStateName)).Apps);
    }
}
