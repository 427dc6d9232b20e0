using Granary.Edge.Routing;
using Granary.Routes;

namespace Granary.Tests.Edge;

public sealed class HostMapTests
{
    private static AppRoute App(string name) => new(Guid.NewGuid(), name, RoutePolicy.Default, [], []);

    private static HostMap Map(int hosts) =>
        HostMap.Create(Enumerable.Range(0, hosts).Select(i => new KeyValuePair<string, AppRoute>($"h{i}.example", App($"a{i}"))));

    [Fact]
    public void With_SetAndRemove_SeenByLookupsAndCount()
    {
        var map = Map(3);
        var added = App("new");

        var next = map.With([new("new.example", added), new("h1.example", null)]);

        Assert.Same(added, next.TryGetValue("NEW.example", out var found) ? found : null);
        Assert.False(next.TryGetValue("h1.example", out _));
        Assert.True(next.TryGetValue("h0.example", out _));
        Assert.Equal(3, next.Count);
    }

    [Fact]
    public void With_OldMap_Unchanged()
    {
        var map = Map(3);

        map.With([new("h0.example", null), new("x.example", App("x"))]);

        Assert.True(map.TryGetValue("h0.example", out _));
        Assert.False(map.TryGetValue("x.example", out _));
        Assert.Equal(3, map.Count);
    }

    [Fact]
    public void With_RemovingAnUnknownHost_CountUnchanged()
    {
        var next = Map(3).With([new("nobody.example", null)]);

        Assert.Equal(3, next.Count);
        Assert.Equal(0, next.OverlayCount);
    }

    [Fact]
    public void With_ManyChanges_FoldedIntoTheFrozenMapAndNothingLost()
    {
        var map = Map(100);
        var apps = new Dictionary<string, AppRoute>();
        for (var i = 0; i < 3 * HostMap.MinFoldThreshold; i++)
        {
            var app = App($"n{i}");
            apps[$"n{i}.example"] = app;
            map = map.With([new($"n{i}.example", app), new($"h{i % 100}.example", i % 2 == 0 ? null : app)]);
            Assert.True(map.OverlayCount <= HostMap.MinFoldThreshold + 2);
        }

        Assert.All(apps, e => Assert.Same(e.Value, map.TryGetValue(e.Key, out var found) ? found : null));
        Assert.Equal(map.Entries().Count(), map.Count);
    }

    [Fact]
    public void Wildcards_Counted()
    {
        var map = HostMap.Create([new("*.a.example", App("a"))]).With([new("*.b.example", App("b")), new("c.example", App("c"))]);

        Assert.Equal(2, map.Wildcards);
        Assert.Equal(1, map.With([new("*.a.example", null)]).Wildcards);
    }
}
