using Granary.Routes;

namespace Granary.Tests.Routes;

public sealed class RouteShardsTests
{
    [Theory]
    [InlineData("00000000-0000-0000-0000-000000000000", 5)]
    [InlineData("0f8fad5b-d9cb-469f-a165-70867728950e", 42)]
    [InlineData("7c9e6679-7425-40de-944b-e07fc1f90ae7", 78)]
    [InlineData("01932c07-2b59-7a3e-9d6e-5f1b2c3d4e5f", 59)]
    [InlineData("ffffffff-ffff-ffff-ffff-ffffffffffff", 245)]
    public void Of_KnownIds_SameShardInEveryProcess(string id, int shard)
    {
        // Pinned (computed independently of .NET): an app found in another shard after an upgrade or on another
        // silo would be stored twice and its old copy would come back.
        Assert.Equal(shard, RouteShards.Of(Guid.Parse(id)));
    }

    [Fact]
    public void Of_RandomAndTimeOrderedIds_SpreadOverEveryShard()
    {
        var ids = Enumerable.Range(0, 64_000)
            .Select(i => i % 2 == 0 ? Guid.NewGuid() : Guid.CreateVersion7(DateTimeOffset.UnixEpoch.AddMilliseconds(i / 200)))
            .ToList();

        var counts = ids.GroupBy(RouteShards.Of).ToDictionary(g => g.Key, g => g.Count());

        Assert.Equal(RouteShards.Count, counts.Count);
        Assert.All(counts, c => Assert.InRange(c.Key, 0, RouteShards.Count - 1));
        // 250 expected per shard; 5 standard deviations (16 each) either side is far from chance, close to a skewed hash.
        Assert.All(counts.Values, n => Assert.InRange(n, 170, 330));
    }

    [Fact]
    public void StateName_Shard_ThreeDigitsAfterAFixedPrefix() =>
        Assert.Equal(["routes-shard-000", "routes-shard-007", "routes-shard-255"],
            new[] { 0, 7, 255 }.Select(RouteShards.StateName).ToArray());

    [Fact]
    public void PlanLegacy_NoOldRecord_None() =>
        Assert.Equal(LegacyRecordAction.None, RouteShards.PlanLegacy(new RouteTableState(), [0, 0]));

    [Fact]
    public void PlanLegacy_OldRecordAndEmptyShards_Migrate() =>
        Assert.Equal(LegacyRecordAction.Migrate, RouteShards.PlanLegacy(Legacy(version: 9, apps: 2), [0, 0, 0]));

    [Fact]
    public void PlanLegacy_OldRecordWithOnlyAnEpoch_MigrateToKeepTheEpoch() =>
        Assert.Equal(LegacyRecordAction.Migrate, RouteShards.PlanLegacy(new RouteTableState { Epoch = 77 }, [0, 0]));

    [Fact]
    public void PlanLegacy_ShardsAtItsVersion_MigrateAgain()
    {
        // A move that wrote some shards and stopped before clearing the old record: do it again.
        Assert.Equal(LegacyRecordAction.Migrate, RouteShards.PlanLegacy(Legacy(version: 9, apps: 2), [9, 0, 9]));
    }

    [Fact]
    public void PlanLegacy_ShardWrittenAfterIt_Stale() =>
        Assert.Equal(LegacyRecordAction.Stale, RouteShards.PlanLegacy(Legacy(version: 9, apps: 2), [9, 10, 0]));

    private static RouteTableState Legacy(long version, int apps)
    {
        var state = new RouteTableState { Version = version, Epoch = 5 };
        for (var i = 0; i < apps; i++)
        {
            var app = new AppRoutes(Guid.NewGuid(), $"a{i}", [$"a{i}.x"], [], RoutePolicy.Default);
            state.Apps[app.AppId] = app;
        }

        return state;
    }
}
