using Granary.Routes;

namespace Granary.Tests.Routes;

public sealed class HostIndexTests
{
    private static AppRoutes App(string name, params string[] hosts) =>
        new(Guid.NewGuid(), name, [.. hosts], [], RoutePolicy.Default);

    [Fact]
    public void Find_MappedHost_ItsApp()
    {
        var web = App("web", "web.x", "www.x");
        var index = HostIndex.Of([web, App("api", "api.x")]);

        Assert.Equal(web.AppId, index.Find("www.x"));
        Assert.Null(index.Find("nobody.x"));
    }

    [Fact]
    public void Conflict_HostHeldByAnotherApp_FirstSuchHostAndItsHolder()
    {
        var holder = App("a", "shared.x", "other.x");
        var index = HostIndex.Of([holder]);

        Assert.Equal(("shared.x", holder.AppId), index.Conflict(Guid.NewGuid(), ["free.x", "shared.x", "other.x"]));
    }

    [Fact]
    public void Conflict_OwnHosts_None()
    {
        var app = App("a", "a.x", "b.x");

        Assert.Null(HostIndex.Of([app]).Conflict(app.AppId, ["a.x", "b.x", "c.x"]));
    }

    [Fact]
    public void Replace_HostDropped_FreeForAnotherApp()
    {
        var before = App("a", "a.x", "b.x");
        var index = HostIndex.Of([before]);

        index.Replace(before, before with { Hosts = ["a.x"] });

        Assert.Null(index.Find("b.x"));
        Assert.Null(index.Conflict(Guid.NewGuid(), ["b.x"]));
        Assert.Equal(before.AppId, index.Find("a.x"));
    }

    [Fact]
    public void Replace_AppRemoved_AllItsHostsFreed()
    {
        var app = App("a", "a.x", "b.x");
        var index = HostIndex.Of([app]);

        index.Replace(app, null);

        Assert.Equal(0, index.Count);
    }

    [Fact]
    public void Replace_StaleEntryNamingAnotherAppsHost_LeavesThatHostAlone()
    {
        // A table loaded from an old store may name one host twice; removing the app that lost it must not
        // release it from the app that holds it.
        var first = App("first", "dup.x");
        var second = App("second", "dup.x");
        var index = HostIndex.Of([first, second]);

        index.Replace(second, null);

        Assert.Equal(first.AppId, index.Find("dup.x"));
    }

    [Fact]
    public void Replace_RandomChanges_AgreesWithAScanOfTheTable()
    {
        // Property-style: whatever sequence of sets and removals, the index answers as scanning every app would.
        var random = new Random(1234);
        var hosts = Enumerable.Range(0, 30).Select(i => $"h{i}.x").ToArray();
        var ids = Enumerable.Range(0, 12).Select(_ => Guid.NewGuid()).ToArray();
        var table = new Dictionary<Guid, AppRoutes>();
        var index = new HostIndex();
        for (var step = 0; step < 2000; step++)
        {
            var id = ids[random.Next(ids.Length)];
            var before = table.GetValueOrDefault(id);
            AppRoutes? after = random.Next(4) == 0
                ? null
                : new AppRoutes(id, "app", [.. hosts.Where(_ => random.Next(6) == 0)], [], RoutePolicy.Default);
            if (after is not null && index.Conflict(id, after.Hosts) is not null)
            {
                continue; // the grain refuses this change
            }

            if (after is null)
            {
                table.Remove(id);
            }
            else
            {
                table[id] = after;
            }

            index.Replace(before, after);
            foreach (var host in hosts)
            {
                Assert.Equal(table.Values.FirstOrDefault(a => a.Hosts.Contains(host))?.AppId, index.Find(host));
            }
        }

        Assert.Equal(table.Values.Sum(a => a.Hosts.Length), index.Count);
    }
}
