using Granary.Edge.Routing;
using Granary.Routes;
using static Granary.Tests.Edge.RouteData;
using RouteTable = Granary.Edge.Routing.RouteTable;

namespace Granary.Tests.Edge;

public sealed class EdgeRouteMapperTests
{
    private static EdgeRoutes Build(params AppRoutes[] apps) => EdgeRouteMapper.Build(Table(1, apps)).Routes;

    [Fact]
    public void Build_EmptyTable_RoutesNothing()
    {
        var routes = EdgeRouteMapper.Build(RouteTable.Empty).Routes;

        Assert.Null(routes.Find("anything.localhost"));
        Assert.Equal(0, routes.Hosts.Count);
        Assert.Empty(routes.Apps);
    }

    [Fact]
    public void Build_App_EachOfItsHostsFindsIt()
    {
        var app = App("shop", 2, hosts: ["shop.localhost", "www.shop.example"]);

        var routes = Build(app);

        Assert.Equal(app.AppId, routes.Find("shop.localhost")!.AppId);
        Assert.Equal(app.AppId, routes.Find("www.shop.example")!.AppId);
        Assert.Equal("shop", routes.Find("shop.localhost")!.Name);
        Assert.Null(routes.Find("other.localhost"));
    }

    [Theory]
    [InlineData("SHOP.localhost")]
    [InlineData("Shop.LocalHost")]
    [InlineData("shop.localhost.")]
    public void Find_RequestHostInAnyCaseOrFullyQualified_Found(string requestHost)
    {
        var app = App("shop");

        Assert.Equal(app.AppId, Build(app).Find(requestHost)!.AppId);
    }

    [Theory]
    [InlineData("")]
    [InlineData(".")]
    [InlineData("shop")]
    [InlineData("shop.localhost.evil")]
    [InlineData("xshop.localhost")]
    public void Find_OtherHosts_NotFound(string requestHost) => Assert.Null(Build(App("shop")).Find(requestHost));

    [Fact]
    public void Build_Backends_OrderedByIndexWithAddress()
    {
        var app = App("a").WithBackends(Backend(2, 8003), Backend(0, 8001), Backend(1, 8002, "10.0.0.7"));

        var backends = Build(app).Apps[app.AppId].Backends;

        Assert.Equal([0, 1, 2], backends.Select(b => b.Index));
        Assert.Equal(["http://127.0.0.1:8001", "http://10.0.0.7:8002", "http://127.0.0.1:8003"], backends.Select(b => b.Prefix));
        Assert.Equal(["0", "1", "2"], backends.Select(b => b.IndexText));
    }

    [Fact]
    public void Build_Ipv6Backend_AddressInBrackets()
    {
        var app = App("a").WithBackends(Backend(0, 8001, "::1"));

        Assert.Equal("http://[::1]:8001", Build(app).Apps[app.AppId].Backends.Single().Prefix);
    }

    [Theory]
    [InlineData("", 8001)]
    [InlineData("127.0.0.1", 0)]
    [InlineData("127.0.0.1", 70000)]
    [InlineData("not a host", 8001)]
    public void Build_InvalidBackend_LeftOutWithWarningOthersKept(string host, int port)
    {
        var app = App("a").WithBackends(Backend(0, 8001), Backend(1, port, host));

        var map = EdgeRouteMapper.Build(Table(1, app));

        Assert.Equal([0], map.Routes.Apps[app.AppId].Backends.Select(b => b.Index));
        Assert.Contains(map.Warnings, w => w.Contains("instance 1 has an invalid address", StringComparison.Ordinal));
    }

    [Fact]
    public void Build_InstanceListedTwice_OnceWithWarning()
    {
        var backend = Backend(0, 8001);
        var app = App("a").WithBackends(backend, backend);

        var map = EdgeRouteMapper.Build(Table(1, app));

        Assert.Single(map.Routes.Apps[app.AppId].Backends);
        Assert.Contains(map.Warnings, w => w.Contains("listed twice", StringComparison.Ordinal));
    }

    [Fact]
    public void Build_AppWithoutBackends_StillFoundSoTheEdgeCanSay503()
    {
        var app = App("stopped", 0);

        Assert.Empty(Build(app).Find("stopped.localhost")!.Backends);
    }

    [Theory]
    [InlineData(LoadBalancing.RoundRobin, false)]
    [InlineData(LoadBalancing.LeastRequests, false)]
    [InlineData(LoadBalancing.RoundRobin, true)]
    public void Build_Policy_FollowsTheApp(LoadBalancing balancing, bool sticky)
    {
        var app = App("a", policy: new RoutePolicy(balancing, sticky));

        Assert.Equal(new RoutePolicy(balancing, sticky), Build(app).Apps[app.AppId].Policy);
    }

    [Fact]
    public void Build_NullPolicy_RoundRobinWithoutAffinity()
    {
        var app = App("a") with { Policy = null! };

        Assert.Equal(RoutePolicy.Default, Build(app).Apps[app.AppId].Policy);
    }

    [Fact]
    public void Build_HostCase_NormalizedToLowerCaseWithoutTrailingDot()
    {
        var app = App("a", hosts: ["Shop.Example.COM."]);

        var routes = Build(app);

        Assert.Equal(["shop.example.com"], routes.Apps[app.AppId].Hosts.ToArray());
        Assert.NotNull(routes.Find("shop.example.com"));
    }

    [Fact]
    public void Build_SameHostInTwoCases_OneEntry()
    {
        var app = App("a", hosts: ["a.localhost", "A.LOCALHOST"]);

        Assert.Single(Build(app).Apps[app.AppId].Hosts.ToArray());
    }

    [Fact]
    public void Build_HostClaimedByTwoApps_LowerAppIdKeepsItWhateverTheOrder()
    {
        var low = App("low", id: Guid.Parse("00000000-0000-0000-0000-000000000001"), hosts: ["shared.localhost", "low.localhost"]);
        var high = App("high", id: Guid.Parse("00000000-0000-0000-0000-000000000002"), hosts: ["shared.localhost", "high.localhost"]);

        foreach (var order in new[] { new[] { low, high }, [high, low] })
        {
            var map = EdgeRouteMapper.Build(Table(1, order));
            Assert.Equal(low.AppId, map.Routes.Find("shared.localhost")!.AppId);
            Assert.Equal(high.AppId, map.Routes.Find("high.localhost")!.AppId);
            Assert.Contains(map.Warnings, w => w.Contains("shared.localhost is claimed by apps", StringComparison.Ordinal));
        }
    }

    [Fact]
    public void Build_AppLosingItsOnlyHost_NotFoundAndWarned()
    {
        var low = App("low", id: Guid.Parse("00000000-0000-0000-0000-000000000001"), hosts: ["shared.localhost"]);
        var high = App("high", id: Guid.Parse("00000000-0000-0000-0000-000000000002"), hosts: ["shared.localhost"]);

        var map = EdgeRouteMapper.Build(Table(1, high, low));

        Assert.Equal(low.AppId, map.Routes.Find("shared.localhost")!.AppId);
        Assert.Contains(map.Warnings, w => w.Contains("app high", StringComparison.Ordinal) && w.Contains("no usable host name", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("has space.localhost")]
    [InlineData("under/score.localhost")]
    [InlineData("a..b")]
    [InlineData(".leading.dot")]
    [InlineData("xn--caf-dma.example")]
    [InlineData("port.localhost:8080")]
    [InlineData("*.")]
    public void Build_InvalidHost_LeftOutWithWarningOthersKept(string bad)
    {
        var app = App("a", hosts: [bad, "good.localhost"]);

        var map = EdgeRouteMapper.Build(Table(1, app));

        Assert.Equal(["good.localhost"], map.Routes.Apps[app.AppId].Hosts.ToArray());
        Assert.Contains(map.Warnings, w => w.Contains("is not a valid host name", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("shop.localhost", "shop.localhost")]
    [InlineData("  Shop.LOCALHOST.  ", "shop.localhost")]
    [InlineData("*.apps.example.com", "*.apps.example.com")]
    [InlineData("a-b_c.example", "a-b_c.example")]
    [InlineData("localhost", "localhost")]
    public void Normalize_AcceptedNames(string host, string expected) => Assert.Equal(expected, HostNames.Normalize(host));

    [Fact]
    public void Find_WildcardRoute_MatchesNamesUnderItAtAnyDepthButNotItself()
    {
        var app = App("any", hosts: ["*.apps.example"]);
        var routes = Build(app);

        Assert.Equal(app.AppId, routes.Find("x.apps.example")!.AppId);
        Assert.Equal(app.AppId, routes.Find("y.x.APPS.example")!.AppId);
        Assert.Null(routes.Find("apps.example"));
        Assert.Null(routes.Find("x.other.example"));
    }

    [Fact]
    public void Find_ExactAndWildcard_ExactWinsThenTheMostSpecificWildcard()
    {
        var broad = App("broad", hosts: ["*.example"]);
        var narrow = App("narrow", hosts: ["*.apps.example"]);
        var exact = App("exact", hosts: ["shop.apps.example"]);
        var routes = Build(broad, narrow, exact);

        Assert.Equal(exact.AppId, routes.Find("shop.apps.example")!.AppId);
        Assert.Equal(narrow.AppId, routes.Find("cart.apps.example")!.AppId);
        Assert.Equal(broad.AppId, routes.Find("cart.example")!.AppId);
    }

    [Fact]
    public void Build_SameInstanceInTheNextTable_KeepsItsRuntimeState()
    {
        var app = App("a", 2);
        var first = Build(app);
        var kept = first.Apps[app.AppId].Backends[0];

        var next = EdgeRouteMapper.Build(Table(2, app with { AppName = "renamed" }), first).Routes;

        Assert.Same(kept, next.Apps[app.AppId].Backends[0]);
    }

    [Fact]
    public void Build_InstanceMovedToAnotherPort_FreshState()
    {
        var app = App("a", 1);
        var first = Build(app);
        var moved = app.WithBackends(app.Backends[0] with { Port = 49999 });

        var next = EdgeRouteMapper.Build(Table(2, moved), first).Routes;

        Assert.NotSame(first.Apps[app.AppId].Backends[0], next.Apps[app.AppId].Backends[0]);
    }

    [Fact]
    public void Build_AffinityKey_SameOnEveryEdgeAndRevealsNoInstanceId()
    {
        var app = App("a", 2);

        var one = Build(app).Apps[app.AppId].Backends;
        var other = Build(app).Apps[app.AppId].Backends;

        Assert.Equal(one.Select(b => b.AffinityKey), other.Select(b => b.AffinityKey));
        Assert.NotEqual(one[0].AffinityKey, one[1].AffinityKey);
        Assert.All(one, b => Assert.DoesNotContain(b.InstanceId.ToString("N")[..8], b.AffinityKey, StringComparison.Ordinal));
    }

    [Fact]
    public void Build_ManyApps_EveryHostFindsItsApp()
    {
        var apps = Enumerable.Range(0, 5_000).Select(i => App($"app{i}")).ToArray();

        var routes = Build(apps);

        Assert.Equal(5_000, routes.Hosts.Count);
        Assert.All(apps, a => Assert.Equal(a.AppId, routes.Find($"{a.AppName}.localhost")!.AppId));
    }

    [Fact]
    public void Apply_OneAppScaled_OnlyItChangesOthersAreTheSameObjects()
    {
        var a = App("a", 1);
        var b = App("b", 1);
        var table = Table(1, a, b);
        var routes = EdgeRouteMapper.Build(table).Routes;

        var next = table.Apply(Delta(2, [a.WithBackends([.. a.Backends, Backend(1, 40001)])])).Table;
        var applied = EdgeRouteMapper.Apply(routes, next, next.ChangedFromParent).Routes;

        Assert.Equal(2, applied.Find("a.localhost")!.Backends.Length);
        Assert.Same(routes.Apps[b.AppId], applied.Apps[b.AppId]);
        Assert.Same(routes.Apps[a.AppId].Backends[0], applied.Apps[a.AppId].Backends[0]);
        Assert.Single(routes.Find("a.localhost")!.Backends);
    }

    [Fact]
    public void Apply_AppRemoved_ItsHostsNoLongerFound()
    {
        var a = App("a");
        var table = Table(1, a, App("b"));
        var routes = EdgeRouteMapper.Build(table).Routes;

        var next = table.Apply(Delta(2, removed: [a.AppId])).Table;
        var applied = EdgeRouteMapper.Apply(routes, next, next.ChangedFromParent).Routes;

        Assert.Null(applied.Find("a.localhost"));
        Assert.NotNull(applied.Find("b.localhost"));
        Assert.Equal(1, applied.Hosts.Count);
    }

    [Fact]
    public void Apply_WinnerDropsAContestedHost_TheOtherClaimantGetsIt()
    {
        var low = App("low", id: Guid.Parse("00000000-0000-0000-0000-000000000001"), hosts: ["shared.localhost"]);
        var high = App("high", id: Guid.Parse("00000000-0000-0000-0000-000000000002"), hosts: ["shared.localhost", "high.localhost"]);
        var table = Table(1, low, high);
        var routes = EdgeRouteMapper.Build(table).Routes;

        var next = table.Apply(Delta(2, [low with { Hosts = ["low.localhost"] }])).Table;
        var applied = EdgeRouteMapper.Apply(routes, next, next.ChangedFromParent).Routes;

        Assert.Equal(high.AppId, applied.Find("shared.localhost")!.AppId);
        Assert.Empty(applied.Contested);
    }

    /// <summary>
    /// Property: whatever sequence of deltas arrives, mapping each incrementally gives the same routes as mapping
    /// the final table whole (hosts, owners, instances, contested hosts), and every intermediate step too.
    /// </summary>
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    public void Apply_RandomDeltas_SameRoutesAsBuildingTheTableWhole(int seed)
    {
        var random = new Random(seed);
        var ids = Enumerable.Range(1, 40).Select(i => Guid.Parse($"00000000-0000-0000-0000-{i:D12}")).ToArray();
        var hostPool = Enumerable.Range(0, 30).Select(i => i % 10 == 0 ? $"*.w{i}.example" : $"h{i}.example").ToArray();
        AppRoutes RandomApp(Guid id) => new(id, $"app-{id.ToString()[^2..]}",
            [.. Enumerable.Range(0, random.Next(0, 4)).Select(_ => hostPool[random.Next(hostPool.Length)])],
            [.. Enumerable.Range(0, random.Next(0, 3)).Select(i => Backend(i, 40000 + random.Next(100)))],
            new RoutePolicy(random.Next(2) == 0 ? LoadBalancing.RoundRobin : LoadBalancing.LeastRequests, random.Next(2) == 0));

        var table = Table(1, [.. ids.Take(20).Select(RandomApp)]);
        var routes = EdgeRouteMapper.Build(table).Routes;
        for (var version = 2; version < 300; version++)
        {
            var changed = Enumerable.Range(0, random.Next(1, 4)).Select(_ => RandomApp(ids[random.Next(ids.Length)])).ToArray();
            var removed = Enumerable.Range(0, random.Next(0, 2)).Select(_ => ids[random.Next(ids.Length)]).Where(id => changed.All(c => c.AppId != id)).ToArray();
            table = table.Apply(Delta(version, changed, removed)).Table;
            routes = EdgeRouteMapper.Apply(routes, table, table.ChangedFromParent).Routes;

            AssertSameRoutes(EdgeRouteMapper.Build(table).Routes, routes, hostPool);
        }
    }

    private static void AssertSameRoutes(EdgeRoutes expected, EdgeRoutes actual, string[] hostPool)
    {
        Assert.Equal(Owners(expected), Owners(actual));
        Assert.Equal(expected.Apps.Keys.Order(), actual.Apps.Keys.Order());
        foreach (var (id, app) in expected.Apps)
        {
            Assert.Equal(app.Backends.Select(b => (b.InstanceId, b.Prefix)), actual.Apps[id].Backends.Select(b => (b.InstanceId, b.Prefix)));
            Assert.Equal(app.Hosts.ToArray(), actual.Apps[id].Hosts.ToArray());
        }

        Assert.Equal(expected.Contested.OrderBy(c => c.Key).Select(c => (c.Key, string.Join(",", c.Value))),
            actual.Contested.OrderBy(c => c.Key).Select(c => (c.Key, string.Join(",", c.Value))));
        Assert.Equal(expected.Hosts.Wildcards, actual.Hosts.Wildcards);
        foreach (var host in hostPool)
        {
            var probe = host.Replace("*", "x", StringComparison.Ordinal);
            Assert.Equal(expected.Find(probe)?.AppId, actual.Find(probe)?.AppId);
        }
    }

    private static List<(string Host, Guid App)> Owners(EdgeRoutes routes) =>
        [.. routes.Hosts.Entries().Select(e => (e.Key, e.Value.AppId)).OrderBy(e => e.Key, StringComparer.Ordinal)];
}
