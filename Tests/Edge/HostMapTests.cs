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
    public void With_ManyChanges_FoldedIntoTheBaseMapAndNothingLost()
    {
        var map = Map(100);
        var apps = new Dictionary<string, AppRoute>();
        for (var i = 0; i < 3 * LayeredMap<string, AppRoute>.MinFoldThreshold; i++)
        {
            var app = App($"n{i}");
            apps[$"n{i}.example"] = app;
            map = map.With([new($"n{i}.example", app), new($"h{i % 100}.example", i % 2 == 0 ? null : app)]);
            Assert.True(map.OverlayCount <= LayeredMap<string, AppRoute>.MinFoldThreshold + 2);
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

public sealed class LayeredMapTests
{
    /// <summary>Property: after any sequence of sets and removals the map holds what a plain dictionary would.</summary>
    [Theory]
    [InlineData(1, 0)]
    [InlineData(2, 100)]
    [InlineData(3, 20_000)]
    public void With_RandomChanges_SameAsADictionary(int seed, int initial)
    {
        var random = new Random(seed);
        var expected = Enumerable.Range(0, initial).ToDictionary(i => i, i => $"v{i}");
        var map = LayeredMap<int, string>.Create(expected);
        for (var step = 0; step < 400; step++)
        {
            var changes = Enumerable.Range(0, random.Next(1, 40))
                .Select(_ => random.Next(initial + 2_000))
                .Distinct()
                .Select(key => new KeyValuePair<int, string?>(key, random.Next(3) == 0 ? null : $"s{step}k{key}"))
                .ToList();
            var before = map;
            var beforeCount = before.Count;
            map = map.With(changes);
            foreach (var (key, value) in changes)
            {
                if (value is null)
                {
                    expected.Remove(key);
                }
                else
                {
                    expected[key] = value;
                }
            }

            Assert.Equal(beforeCount, before.Count);
            Assert.Equal(expected.Count, map.Count);
            Assert.All(changes, c => Assert.Equal(c.Value, map.TryGetValue(c.Key, out var v) ? v : null));
        }

        Assert.Equal(expected.OrderBy(e => e.Key), map.OrderBy(e => e.Key));
        Assert.True(map.Overlay.Count <= Math.Max(LayeredMap<int, string>.MinFoldThreshold, map.Base.Count / 16) + 40);
    }

    [Fact]
    public void With_NoChanges_SameMap()
    {
        var map = LayeredMap<int, string>.Create([new(1, "a")]);

        Assert.Same(map, map.With([]));
    }

    [Fact]
    public void Indexer_MissingKey_Throws() =>
        Assert.Throws<KeyNotFoundException>(() => LayeredMap<int, string>.Create([new(1, "a")]).With([new(1, null)])[1]);
}
