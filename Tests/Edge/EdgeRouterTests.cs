using Granary.Edge.Routing;
using static Granary.Tests.Edge.RouteData;
using RouteTable = Granary.Edge.Routing.RouteTable;

namespace Granary.Tests.Edge;

public sealed class EdgeRouterTests
{
    [Fact]
    public void Routes_BeforeAnyTable_NothingFoundAndUnloaded()
    {
        var router = Router();

        Assert.False(router.Table.Loaded);
        Assert.Null(router.Routes.Find("a.localhost"));
    }

    [Fact]
    public void Update_NewTable_VisibleAtOnceAndTheOldRoutesUnchanged()
    {
        var router = Router();
        var a = App("a");
        router.Update(Table(1, a));
        var before = router.Routes;

        router.Update(Table(2, App("b")));

        Assert.NotNull(before.Find("a.localhost"));
        Assert.Null(before.Find("b.localhost"));
        Assert.Null(router.Routes.Find("a.localhost"));
        Assert.NotNull(router.Routes.Find("b.localhost"));
        Assert.Equal(2, router.Table.Version);
    }

    [Fact]
    public void Update_DeltaOfTheHeldTable_OnlyTheChangedAppRemapped()
    {
        var router = Router();
        var a = App("a");
        var b = App("b");
        router.Update(Table(1, a, b));
        var before = router.Routes;

        router.Update(router.Table.Apply(Delta(2, [a.WithBackends(Backend(0, 41000), Backend(1, 41001))])).Table);

        Assert.Same(before.Apps[b.AppId], router.Routes.Apps[b.AppId]);
        Assert.Equal(2, router.Routes.Find("a.localhost")!.Backends.Length);
    }

    [Fact]
    public void Update_DeltaOfAnotherTable_MappedWholeNotMixed()
    {
        var router = Router();
        var a = App("a");
        var other = Table(1, a, App("x"));
        router.Update(Table(1, App("b")));

        router.Update(other.Apply(Delta(2, removed: [a.AppId])).Table);

        Assert.Null(router.Routes.Find("b.localhost"));
        Assert.Null(router.Routes.Find("a.localhost"));
        Assert.NotNull(router.Routes.Find("x.localhost"));
    }

    [Fact]
    public async Task Update_Concurrent_ReadersAlwaysSeeAWholeTable()
    {
        var router = Router();
        var reads = 0;
        var done = false;
        var started = new TaskCompletionSource();
        var reader = Task.Factory.StartNew(() =>
        {
            started.SetResult();
            while (!Volatile.Read(ref done))
            {
                // Every app of the snapshot is found by its host in that same snapshot, and nothing else is.
                var routes = router.Routes;
                Assert.All(routes.Apps.Values, app => Assert.Same(app, routes.Find(app.Hosts[0])));
                Assert.Equal(routes.Apps.Count, routes.Hosts.Count);
                Interlocked.Increment(ref reads);
            }
        }, TaskCreationOptions.LongRunning);
        await started.Task;

        var table = RouteTable.Empty;
        for (var version = 1; version <= 200_000 && Volatile.Read(ref reads) < 500; version++)
        {
            table = version % 50 == 1
                ? Table(version, [.. Enumerable.Range(0, version % 7).Select(i => App($"app{i}"))])
                : table.Apply(Delta(version, [App($"d{version % 13}", id: Guid.Parse($"00000000-0000-0000-0000-{version % 13:D12}"))])).Table;
            router.Update(table);
        }

        Volatile.Write(ref done, true);
        await reader;
        Assert.True(reads >= 500, $"the reader only got {reads} reads in");
    }
}
