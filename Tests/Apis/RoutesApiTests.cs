using System.Net;
using Granary.Routes;
using Granary.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Granary.Tests.Apis;

[Collection(SiloCollection.Name)]
public sealed class RoutesApiTests(SiloFactory silo)
{
    private IRouteTableGrain Table => silo.Services.GetRequiredService<IGrainFactory>().GetGrain<IRouteTableGrain>(RouteTableGrain.Key);

    [Fact]
    public async Task Create_App_DefaultRouteListed()
    {
        var client = silo.Admin();
        var name = SiloCollection.UniqueName("route");
        await client.CreateAppAsync(name);

        var routes = (await (await client.GetAsync("/v1/routes")).Json()).AsArray();

        Assert.Contains(routes, r => (string?)r!["host"] == $"{name}.localhost" && (string?)r["appName"] == name);
    }

    [Fact]
    public async Task MapRoute_HostOfAnotherApp_409NamingTheHostButNotTheHolder()
    {
        var client = silo.Admin();
        var holder = SiloCollection.UniqueName("holder");
        await client.CreateAppAsync(holder);
        var other = await client.CreateAppAsync(SiloCollection.UniqueName("other"));

        var response = await client.PostJson($"/v1/apps/{other}/routes", new { host = $"{holder}.localhost" });

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        // The holder may live in a space the caller cannot see: its name must not leak.
        var detail = (string?)(await response.Json())["detail"];
        Assert.Contains($"{holder}.localhost is already taken", detail);
        Assert.DoesNotContain($"'{holder}'", detail);
    }

    [Fact]
    public async Task Create_NameWhoseDefaultHostIsMappedElsewhere_409AndNameStaysFree()
    {
        var client = silo.Admin();
        var taken = SiloCollection.UniqueName("taken");
        var mapper = await client.CreateAppAsync(SiloCollection.UniqueName("mapper"));
        await client.PostJson($"/v1/apps/{mapper}/routes", new { host = $"{taken}.localhost" });

        var response = await client.PostJson("/v1/apps", new { name = taken });

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Empty((await (await client.GetAsync($"/v1/apps?name={taken}")).Json()).AsArray());
    }

    [Fact]
    public async Task MapThenUnmap_RouteFollowsAndEventsRecorded()
    {
        var client = silo.Admin();
        var id = await client.CreateAppAsync(SiloCollection.UniqueName("mapped"));
        var host = $"www-{Guid.NewGuid():N}.example.com";

        var mapped = await (await client.PostJson($"/v1/apps/{id}/routes", new { host = host.ToUpperInvariant() })).Json();
        Assert.Contains(host, mapped["routes"]!.AsArray().Select(r => (string?)r));
        Assert.Equal(Guid.Parse(id), await Table.FindHost(host));

        var unmapped = await client.DeleteAsync($"/v1/apps/{id}/routes/{host}");
        Assert.Equal(HttpStatusCode.OK, unmapped.StatusCode);
        Assert.Null(await Table.FindHost(host));
        var events = (await (await client.GetAsync($"/v1/apps/{id}/events")).Json()).AsArray().Select(e => (string?)e!["type"]);
        Assert.Equal(["app.created", "app.route_mapped", "app.route_unmapped"], events);
    }

    [Theory]
    [InlineData("under_score.example.com")]
    [InlineData("-bad.example.com")]
    [InlineData("a..b")]
    public async Task MapRoute_InvalidHost_422(string host)
    {
        var client = silo.Admin();
        var id = await client.CreateAppAsync(SiloCollection.UniqueName("badhost"));

        var response = await client.PostJson($"/v1/apps/{id}/routes", new { host });

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
    }

    [Fact]
    public async Task Rename_DefaultRouteFollowsTheName()
    {
        var client = silo.Admin();
        var id = await client.CreateAppAsync(SiloCollection.UniqueName("before"));
        var after = SiloCollection.UniqueName("after");

        await client.PatchJson($"/v1/apps/{id}", new { name = after });

        Assert.Equal(Guid.Parse(id), await Table.FindHost($"{after}.localhost"));
    }

    [Fact]
    public async Task Rename_AfterDefaultRouteUnmapped_RenamesAndKeepsOtherRoutes()
    {
        var client = silo.Admin();
        var name = SiloCollection.UniqueName("nodefault");
        var id = await client.CreateAppAsync(name);
        var custom = $"x-{Guid.NewGuid():N}.example.com";
        await client.PostJson($"/v1/apps/{id}/routes", new { host = custom });
        await client.DeleteAsync($"/v1/apps/{id}/routes/{name}.localhost");

        var response = await client.PatchJson($"/v1/apps/{id}", new { name = SiloCollection.UniqueName("renamed") });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal([custom], (await response.Json())["routes"]!.AsArray().Select(r => (string)r!).ToArray());
    }

    [Fact]
    public async Task Delete_App_RoutesGone()
    {
        var client = silo.Admin();
        var name = SiloCollection.UniqueName("delroute");
        var id = await client.CreateAppAsync(name);

        await client.DeleteAsync($"/v1/apps/{id}");

        Assert.Null(await Table.FindHost($"{name}.localhost"));
    }

    [Fact]
    public async Task Policy_PatchLeastRequestsAndSticky_ShownAndPublished()
    {
        var client = silo.Admin();
        var id = await client.CreateAppAsync(SiloCollection.UniqueName("policy"));

        var app = await (await client.PatchJson($"/v1/apps/{id}", new { loadBalancing = "LEAST_REQUESTS", stickySessions = true })).Json();

        Assert.Equal("LEAST_REQUESTS", (string?)app["loadBalancing"]);
        Assert.True((bool?)app["stickySessions"]);
        var entry = (await Table.GetChangesSince(0)).Changed.Single(a => a.AppId == Guid.Parse(id));
        Assert.Equal(new RoutePolicy(LoadBalancing.LeastRequests, true), entry.Policy);
    }

    [Fact]
    public async Task Backends_FollowRunningInstances()
    {
        var driver = new AppDriver(await silo.ReadyAdminAsync());
        var api = silo.Admin();
        var id = await driver.PushAsync(SiloCollection.UniqueName("backends"), Archives.TarGzOfFolder(RepoPaths.Sample("node-hello")));
        var app = await driver.WaitUntilAsync(id, a => AppDriver.AllRunning(a, 1));
        var port = (int)AppDriver.Instances(app).Single()["port"]!;

        // RUNNING reaches the route table a moment after the instance grain (a one-way report): wait for it.
        var backend = Assert.Single(await WaitForBackendsAsync(id, b => b.Count == 1));
        Assert.Equal(port, backend.Port);

        await api.PatchJson($"/v1/apps/{id}", new { state = "STOPPED" });
        Assert.Empty(await BackendsAsync(id));
    }

    private async Task<IReadOnlyList<RouteBackend>> WaitForBackendsAsync(string appId, Func<IReadOnlyList<RouteBackend>, bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        IReadOnlyList<RouteBackend> backends;
        while (!condition(backends = await BackendsAsync(appId)))
        {
            Assert.True(DateTime.UtcNow < deadline, $"backends never matched: {string.Join(", ", backends)}");
            await Task.Delay(20);
        }

        return backends;
    }

    private async Task<IReadOnlyList<RouteBackend>> BackendsAsync(string appId) =>
        (await Table.GetChangesSince(0)).Changed.Single(a => a.AppId == Guid.Parse(appId)).Backends;
}
