using RouteTable = Granary.Edge.Routing.RouteTable;
using Granary.Edge.Routing;
using Microsoft.Extensions.Logging.Abstractions;
using static Granary.Tests.Edge.RouteData;

namespace Granary.Tests.Edge;

public sealed class RouteTableConfigProviderTests
{
    private static RouteTableConfigProvider Provider() => new(NullLogger<RouteTableConfigProvider>.Instance);

    [Fact]
    public void GetConfig_BeforeAnyTable_OnlyCatchAllAndUnloaded()
    {
        var provider = Provider();

        var config = provider.GetConfig();

        Assert.False(provider.Table.Loaded);
        Assert.Equal(EdgeMetadata.UnknownHostId, Assert.Single(config.Routes).RouteId);
        Assert.False(config.ChangeToken.HasChanged);
    }

    [Fact]
    public void Update_NewTable_OldTokenFiresAndNewConfigVisible()
    {
        var provider = Provider();
        var old = provider.GetConfig();
        var fired = false;
        using var registration = old.ChangeToken.RegisterChangeCallback(_ => fired = true, null);
        var app = App("a", 2);

        provider.Update(Table(1, app));

        Assert.True(old.ChangeToken.HasChanged);
        Assert.True(fired);
        var current = provider.GetConfig();
        Assert.NotSame(old, current);
        Assert.False(current.ChangeToken.HasChanged);
        Assert.Contains(current.Routes, r => r.RouteId == app.AppId.ToString());
        Assert.Equal(2, current.Clusters.Single(c => c.ClusterId == app.AppId.ToString()).Destinations!.Count);
    }

    [Fact]
    public void Update_Successive_RevisionFollowsTheTableVersion()
    {
        var provider = Provider();
        var revisions = new List<long>();

        foreach (var version in new long[] { 1, 2, 5, 9 })
        {
            provider.Update(Table(version, App("a")));
            revisions.Add(long.Parse(provider.GetConfig().RevisionId!));
        }

        Assert.Equal([1, 2, 5, 9], revisions);
    }

    [Fact]
    public void Update_OldConfigUnchanged_AfterTheSwap()
    {
        // A request that started on the old config keeps seeing exactly it.
        var provider = Provider();
        var a = App("a");
        provider.Update(Table(1, a));
        var before = provider.GetConfig();
        var routesBefore = before.Routes.Select(r => r.RouteId).ToList();

        provider.Update(Table(2, App("b")));

        Assert.Equal(routesBefore, before.Routes.Select(r => r.RouteId));
        Assert.Same(provider.Table, provider.Table);
        Assert.Equal(2, provider.Table.Version);
    }

    [Fact]
    public async Task Update_Concurrent_ReadersAlwaysSeeAWholeConfig()
    {
        var provider = Provider();
        var reads = 0;
        var done = false;
        var started = new TaskCompletionSource();
        var reader = Task.Factory.StartNew(() =>
        {
            started.SetResult();
            while (!Volatile.Read(ref done))
            {
                var config = provider.GetConfig();
                // Every route has its cluster in the same snapshot.
                var clusters = config.Clusters.Select(c => c.ClusterId).ToHashSet();
                Assert.All(config.Routes, r => Assert.Contains(r.ClusterId!, clusters));
                Interlocked.Increment(ref reads);
            }
        }, TaskCreationOptions.LongRunning);
        await started.Task;

        for (var version = 1; version <= 200_000 && Volatile.Read(ref reads) < 500; version++)
        {
            provider.Update(Table(version, Enumerable.Range(0, version % 7).Select(i => App($"app{i}")).ToArray()));
        }

        Volatile.Write(ref done, true);
        await reader;
        Assert.True(reads >= 500, $"the reader only got {reads} reads in");
    }
}
