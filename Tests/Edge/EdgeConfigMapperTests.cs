using RouteTable = Granary.Edge.Routing.RouteTable;
using Granary.Edge.Routing;
using Granary.Routes;
using Yarp.ReverseProxy.Configuration;
using Yarp.ReverseProxy.Health;
using Yarp.ReverseProxy.LoadBalancing;
using Yarp.ReverseProxy.SessionAffinity;
using static Granary.Tests.Edge.RouteData;

namespace Granary.Tests.Edge;

public sealed class EdgeConfigMapperTests
{
    private static RouteConfig RouteOf(EdgeProxyConfigParts parts, AppRoutes app) => parts.Routes.Single(r => r.RouteId == app.AppId.ToString());

    private static ClusterConfig ClusterOf(EdgeProxyConfigParts parts, AppRoutes app) => parts.Clusters.Single(c => c.ClusterId == app.AppId.ToString());

    [Fact]
    public void Map_EmptyTable_OnlyTheUnknownHostCatchAll()
    {
        var parts = EdgeConfigMapper.Map(RouteTable.Empty);

        var route = Assert.Single(parts.Routes);
        Assert.Equal(EdgeMetadata.UnknownHostId, route.RouteId);
        Assert.Null(route.Match.Hosts);
        Assert.Equal(EdgeConfigMapper.CatchAllPath, route.Match.Path);
        Assert.Equal(EdgeMetadata.UnknownHostRoute, route.Metadata![EdgeMetadata.Kind]);
        Assert.Empty(Assert.Single(parts.Clusters).Destinations!);
    }

    [Fact]
    public void Map_CatchAll_HasLowerPriorityThanEveryAppRoute()
    {
        var parts = EdgeConfigMapper.Map(Table(1, App("a"), App("b")));

        var catchAll = parts.Routes.Single(r => r.RouteId == EdgeMetadata.UnknownHostId);
        Assert.All(parts.Routes.Where(r => r != catchAll), r => Assert.True((r.Order ?? 0) < catchAll.Order));
    }

    [Fact]
    public void Map_App_OneRouteMatchingItsHostsToItsCluster()
    {
        var app = App("shop", 2, hosts: ["shop.localhost", "www.shop.example"]);

        var parts = EdgeConfigMapper.Map(Table(1, app));

        var route = RouteOf(parts, app);
        Assert.Equal(app.AppId.ToString(), route.ClusterId);
        Assert.Equal(["shop.localhost", "www.shop.example"], route.Match.Hosts);
        Assert.Equal(EdgeConfigMapper.CatchAllPath, route.Match.Path);
        Assert.Equal("shop", route.Metadata![EdgeMetadata.AppName]);
        Assert.Equal(app.AppId.ToString(), route.Metadata[EdgeMetadata.AppId]);
        Assert.Equal(EdgeMetadata.AppRoute, route.Metadata[EdgeMetadata.Kind]);
    }

    [Fact]
    public void Map_Backends_OneDestinationPerInstanceWithAddressAndIndex()
    {
        var app = App("a").WithBackends(Backend(0, 8001), Backend(1, 8002, "10.0.0.7"));

        var destinations = ClusterOf(EdgeConfigMapper.Map(Table(1, app)), app).Destinations!;

        Assert.Equal(2, destinations.Count);
        foreach (var backend in app.Backends)
        {
            var destination = destinations[backend.InstanceId.ToString()];
            Assert.Equal($"http://{backend.Host}:{backend.Port}", destination.Address);
            Assert.Equal(backend.Index.ToString(), destination.Metadata![EdgeMetadata.InstanceIndex]);
        }
    }

    [Fact]
    public void Map_Ipv6Backend_AddressInBrackets()
    {
        var app = App("a").WithBackends(Backend(0, 8001, "::1"));

        var destination = Assert.Single(ClusterOf(EdgeConfigMapper.Map(Table(1, app)), app).Destinations!).Value;

        Assert.Equal("http://[::1]:8001", destination.Address);
    }

    [Fact]
    public void Map_AppWithoutBackends_KeepsRouteAndEmptyCluster()
    {
        var app = App("stopped", instances: 0);

        var parts = EdgeConfigMapper.Map(Table(1, app));

        Assert.NotNull(RouteOf(parts, app));
        Assert.Empty(ClusterOf(parts, app).Destinations!);
    }

    [Theory]
    [InlineData(LoadBalancing.RoundRobin, "RoundRobin")]
    [InlineData(LoadBalancing.LeastRequests, "LeastRequests")]
    public void Map_LoadBalancingPolicy_FollowsTheApp(LoadBalancing policy, string expected)
    {
        var app = App("a", policy: new RoutePolicy(policy, false));

        var cluster = ClusterOf(EdgeConfigMapper.Map(Table(1, app)), app);

        Assert.Equal(expected, cluster.LoadBalancingPolicy);
        Assert.Equal(expected == "RoundRobin" ? LoadBalancingPolicies.RoundRobin : LoadBalancingPolicies.LeastRequests, cluster.LoadBalancingPolicy);
    }

    [Fact]
    public void Map_NullPolicy_RoundRobinWithoutAffinity()
    {
        var app = App("a") with { Policy = null! };

        var cluster = ClusterOf(EdgeConfigMapper.Map(Table(1, app)), app);

        Assert.Equal(LoadBalancingPolicies.RoundRobin, cluster.LoadBalancingPolicy);
        Assert.Null(cluster.SessionAffinity);
    }

    [Fact]
    public void Map_StickySessions_CookieAffinityThatRedistributesWhenTheInstanceIsGone()
    {
        var sticky = App("sticky", policy: new RoutePolicy(LoadBalancing.RoundRobin, true));
        var plain = App("plain");

        var parts = EdgeConfigMapper.Map(Table(1, sticky, plain));

        var affinity = ClusterOf(parts, sticky).SessionAffinity!;
        Assert.True(affinity.Enabled);
        Assert.Equal(SessionAffinityConstants.Policies.HashCookie, affinity.Policy);
        Assert.Equal(SessionAffinityConstants.FailurePolicies.Redistribute, affinity.FailurePolicy);
        Assert.Equal(EdgeConfigMapper.AffinityCookie, affinity.AffinityKeyName);
        Assert.True(affinity.Cookie!.HttpOnly);
        Assert.Null(ClusterOf(parts, plain).SessionAffinity);
    }

    [Fact]
    public void Map_EveryCluster_PassiveHealthChecksEjectFailingInstancesForTenSeconds()
    {
        var app = App("a", 2);

        var health = ClusterOf(EdgeConfigMapper.Map(Table(1, app)), app).HealthCheck!;

        Assert.True(health.Passive!.Enabled);
        Assert.Equal(HealthCheckConstants.PassivePolicy.TransportFailureRate, health.Passive.Policy);
        Assert.Equal(TimeSpan.FromSeconds(10), health.Passive.ReactivationPeriod);
        Assert.Equal(HealthCheckConstants.AvailableDestinations.HealthyOrPanic, health.AvailableDestinationsPolicy);
    }

    [Fact]
    public void Map_HostCase_NormalizedToLowerCaseWithoutTrailingDot()
    {
        var app = App("a", hosts: ["Shop.LOCALHOST.", " api.Example.com "]);

        var route = RouteOf(EdgeConfigMapper.Map(Table(1, app)), app);

        Assert.Equal(["shop.localhost", "api.example.com"], route.Match.Hosts);
    }

    [Fact]
    public void Map_SameHostInTwoCases_OneEntry()
    {
        var app = App("a", hosts: ["a.localhost", "A.localhost"]);

        var route = RouteOf(EdgeConfigMapper.Map(Table(1, app)), app);

        Assert.Equal(["a.localhost"], route.Match.Hosts);
    }

    [Fact]
    public void Map_HostClaimedByTwoApps_LowerAppIdKeepsItAndMappingSucceeds()
    {
        var low = App("low", id: Guid.Parse("00000000-0000-0000-0000-000000000001"), hosts: ["shared.localhost", "low.localhost"]);
        var high = App("high", id: Guid.Parse("ffffffff-0000-0000-0000-000000000000"), hosts: ["SHARED.localhost", "high.localhost"]);

        // Whatever order the table enumerates them in.
        foreach (var table in new[] { Table(1, low, high), Table(1, high, low) })
        {
            var parts = EdgeConfigMapper.Map(table);

            Assert.Equal(["shared.localhost", "low.localhost"], RouteOf(parts, low).Match.Hosts);
            Assert.Equal(["high.localhost"], RouteOf(parts, high).Match.Hosts);
            Assert.Contains(parts.Warnings, w => w.Contains("shared.localhost"));
            Assert.Single(parts.Routes.SelectMany(r => r.Match.Hosts ?? []), h => h == "shared.localhost");
        }
    }

    [Fact]
    public void Map_AppLosingItsOnlyHostToAnother_HasNoRouteButKeepsCluster()
    {
        var owner = App("owner", id: Guid.Parse("00000000-0000-0000-0000-000000000001"), hosts: ["x.localhost"]);
        var loser = App("loser", id: Guid.Parse("00000000-0000-0000-0000-000000000002"), hosts: ["x.localhost"]);

        var parts = EdgeConfigMapper.Map(Table(1, owner, loser));

        // A route without hosts would match every host: it must not exist at all.
        Assert.DoesNotContain(parts.Routes, r => r.RouteId == loser.AppId.ToString());
        Assert.NotNull(ClusterOf(parts, loser));
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("has space.localhost")]
    [InlineData("a/b.localhost")]
    [InlineData("host:8080")]
    [InlineData("xn--bcher-kva.example")]
    [InlineData("a..b")]
    [InlineData(".leading")]
    public void Map_InvalidHost_LeftOutWithWarningOthersKept(string bad)
    {
        var app = App("a", hosts: [bad, "good.localhost"]);

        var parts = EdgeConfigMapper.Map(Table(1, app));

        Assert.Equal(["good.localhost"], RouteOf(parts, app).Match.Hosts);
        Assert.NotEmpty(parts.Warnings);
    }

    [Theory]
    [InlineData("*.apps.example.com", "*.apps.example.com")]
    [InlineData("localhost", "localhost")]
    [InlineData("127.0.0.1", "127.0.0.1")]
    [InlineData("my_app.localhost", "my_app.localhost")]
    public void NormalizeHost_AcceptedNames(string host, string expected) => Assert.Equal(expected, EdgeConfigMapper.NormalizeHost(host));

    [Fact]
    public void Map_InvalidBackends_LeftOutOthersKept()
    {
        var good = Backend(0, 8001);
        var app = App("a").WithBackends(good, Backend(1, 0), Backend(2, 70000), Backend(3, 8003, "not a host"), good with { Index = 9 });

        var parts = EdgeConfigMapper.Map(Table(1, app));

        var destination = Assert.Single(ClusterOf(parts, app).Destinations!);
        Assert.Equal(good.InstanceId.ToString(), destination.Key);
        Assert.Equal("0", destination.Value.Metadata![EdgeMetadata.InstanceIndex]);
        Assert.Equal(4, parts.Warnings.Count);
    }

    [Fact]
    public void Map_ManyApps_EveryAppHasItsRouteAndCluster()
    {
        var apps = Enumerable.Range(0, 500).Select(i => App($"app{i}", i % 4)).ToArray();

        var parts = EdgeConfigMapper.Map(Table(1, apps));

        Assert.Equal(501, parts.Routes.Count);
        Assert.Equal(501, parts.Clusters.Count);
        Assert.Equal(parts.Routes.Count, parts.Routes.Select(r => r.RouteId).Distinct().Count());
        Assert.Empty(parts.Warnings);
    }

    [Fact]
    public void Map_SameTableTwice_EqualConfigs()
    {
        // YARP diffs configs by value: an unchanged app must map to an equal route and cluster.
        var table = Table(1, App("a", 2, new RoutePolicy(LoadBalancing.LeastRequests, true)), App("b"));

        var first = EdgeConfigMapper.Map(table);
        var second = EdgeConfigMapper.Map(table);

        Assert.Equal(first.Routes.OrderBy(r => r.RouteId), second.Routes.OrderBy(r => r.RouteId));
        Assert.Equal(first.Clusters.OrderBy(c => c.ClusterId), second.Clusters.OrderBy(c => c.ClusterId));
    }
}
