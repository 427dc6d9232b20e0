using System.Net;
using System.Net.Http.Json;
using Granary.Tests.Apis;
using Granary.Tests.Infrastructure;

namespace Granary.Tests.Tenancy;

/// <summary>Two teams on one cluster, through the real API: each sees and changes only its own.</summary>
[Collection(SiloCollection.Name)]
public sealed class TenancyIsolationTests(SiloFactory silo)
{
    [Fact]
    public async Task SameAppNameInTwoOrgs_NeitherDeveloperCanSeeOrTouchTheOther()
    {
        var world = await new TenancyWorld(silo).BuildAsync();
        // The same name in org B: its default host is org A's app's, so it is made without one.
        var created = await world.DevB.PostAsJsonAsync("/v1/apps", new { name = world.AppName, space = world.SpaceB, noRoute = true });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var appB = (string)(await created.Json())["id"]!;

        var listedByA = (await (await world.DevA.GetAsync("/v1/apps")).Json()).AsArray();
        var listedByB = (await (await world.DevB.GetAsync("/v1/apps")).Json()).AsArray();
        Assert.Equal([world.AppA], listedByA.Select(a => (string)a!["id"]!));
        Assert.Equal([appB], listedByB.Select(a => (string)a!["id"]!));

        foreach (var (method, path) in new[]
        {
            (HttpMethod.Get, $"/v1/apps/{appB}"), (HttpMethod.Patch, $"/v1/apps/{appB}"), (HttpMethod.Delete, $"/v1/apps/{appB}"),
            (HttpMethod.Get, $"/v1/apps/{appB}/logs"), (HttpMethod.Get, $"/v1/apps/{appB}/events"), (HttpMethod.Get, $"/v1/apps/{appB}/crashes"),
            (HttpMethod.Post, $"/v1/apps/{appB}/routes"), (HttpMethod.Post, $"/v1/apps/{appB}/restart"),
            (HttpMethod.Get, $"/v1/events?app={world.AppName}&space={world.SpaceB}"), (HttpMethod.Get, $"/v1/apps?space={world.SpaceB}"),
            (HttpMethod.Get, $"/v1/orgs/{world.OrgB}"),
        })
        {
            using var request = new HttpRequestMessage(method, path)
            {
                Content = path.EndsWith("/routes", StringComparison.Ordinal) ? JsonContent.Create(new { host = "stolen.localhost" }) : JsonContent.Create(new { }),
            };
            var response = await world.DevA.SendAsync(request);
            Assert.True(response.StatusCode == HttpStatusCode.NotFound, $"{method} {path}: {(int)response.StatusCode}");
        }

        // Still there, unchanged, for its owner.
        Assert.Equal(HttpStatusCode.OK, (await world.DevB.GetAsync($"/v1/apps/{appB}")).StatusCode);
        var orgs = (await (await world.DevA.GetAsync("/v1/orgs")).Json()).AsArray().Select(o => (string)o!["name"]!).ToList();
        Assert.Contains(world.OrgA, orgs);
        Assert.DoesNotContain(world.OrgB, orgs);
    }

    [Fact]
    public async Task CreateApp_SameNameInAnotherOrg_409SayingHowToHaveItAnyway()
    {
        var world = await new TenancyWorld(silo).BuildAsync();

        var response = await world.DevB.PostAsJsonAsync("/v1/apps", new { name = world.AppName, space = world.SpaceB });

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        var detail = (string)(await response.Json())["detail"]!;
        Assert.Contains("--no-route", detail);
        Assert.DoesNotContain(world.OrgA, detail);
        // The name stays free in org B's space: the refused app was not made.
        Assert.Empty((await (await world.DevB.GetAsync($"/v1/apps?space={world.SpaceB}")).Json()).AsArray());
    }

    [Fact]
    public async Task MapRoute_HostTakenInAnotherOrg_409WithoutNamingTheHolder()
    {
        var world = await new TenancyWorld(silo).BuildAsync();
        var appB = (string)(await (await world.DevB.PostAsJsonAsync("/v1/apps", new { name = "other", space = world.SpaceB, noRoute = true })).Json())["id"]!;

        var response = await world.DevB.PostAsJsonAsync($"/v1/apps/{appB}/routes", new { host = $"{world.AppName}.localhost" });

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        var detail = (string)(await response.Json())["detail"]!;
        Assert.Contains("already taken", detail);
        Assert.DoesNotContain(world.OrgA, detail);
        Assert.DoesNotContain($"'{world.AppName}'", detail);
    }

    [Fact]
    public async Task Auditor_SeesTheAppButNotItsEnvValuesAndCannotChangeIt()
    {
        var world = await new TenancyWorld(silo).BuildAsync();

        var app = await (await world.AuditorA.GetAsync($"/v1/apps/{world.AppA}")).Json();
        var change = await world.AuditorA.PatchAsJsonAsync($"/v1/apps/{world.AppA}", new { instances = 2 });

        Assert.Equal(Granary.Silo.Apis.AppsApi.HiddenValue, (string?)app["env"]!["SECRET"]);
        Assert.DoesNotContain("s3cret-value", (await (await world.AuditorA.GetAsync("/v1/apps")).Content.ReadAsStringAsync()));
        Assert.Equal(HttpStatusCode.Forbidden, change.StatusCode);
        Assert.Contains("SpaceDeveloper", (string?)(await change.Json())["detail"]);
        Assert.Equal("s3cret-value", (string?)(await (await world.DevA.GetAsync($"/v1/apps/{world.AppA}")).Json())["env"]!["SECRET"]);
    }

    [Fact]
    public async Task CreateApp_InASpaceWithoutARole_404AndAsAuditor_403()
    {
        var world = await new TenancyWorld(silo).BuildAsync();

        var stranger = await world.DevB.PostAsJsonAsync("/v1/apps", new { name = "sneaky", space = world.SpaceA });
        var auditor = await world.AuditorA.PostAsJsonAsync("/v1/apps", new { name = "sneaky", space = world.SpaceA });

        Assert.Equal(HttpStatusCode.NotFound, stranger.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, auditor.StatusCode);
        Assert.DoesNotContain((await (await world.DevA.GetAsync("/v1/apps")).Json()).AsArray(), a => (string?)a!["name"] == "sneaky");
    }

    [Fact]
    public async Task DeleteOrg_WithApps_RefusedThenForcedDeletesThemAndSaysWhich()
    {
        var world = await new TenancyWorld(silo).BuildAsync();

        var refused = await world.Admin.DeleteAsync($"/v1/orgs/{world.OrgA}");
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Contains(world.AppName, (string?)(await refused.Json())["detail"]);

        var forced = await world.Admin.DeleteAsync($"/v1/orgs/{world.OrgA}?force=true");
        Assert.Equal(HttpStatusCode.OK, forced.StatusCode);
        Assert.Contains($"dev/{world.AppName}", (await forced.Json())["apps"]!.AsArray().Select(a => (string)a!));
        Assert.Equal(HttpStatusCode.NotFound, (await world.Admin.GetAsync($"/v1/apps/{world.AppA}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await world.Admin.GetAsync($"/v1/orgs/{world.OrgA}")).StatusCode);
    }

    [Fact]
    public async Task OrgManager_CreatesSpacesAndGivesRolesInTheirOrgOnly()
    {
        var world = await new TenancyWorld(silo).BuildAsync();
        var manager = SiloCollection.UniqueName("manager");
        await world.Admin.PostAsJsonAsync("/v1/users", new { name = manager, password = TenancyWorld.Password });
        Assert.Equal(HttpStatusCode.NoContent, (await world.Admin.PutAsync($"/v1/orgs/{world.OrgA}/users/{manager}/roles/OrgManager", null)).StatusCode);
        var client = silo.CreateClient();
        var login = await (await client.PostAsJsonAsync("/v1/auth/login", new { username = manager, password = TenancyWorld.Password })).Json();
        client.DefaultRequestHeaders.Authorization = new("Bearer", (string)login["accessToken"]!);

        Assert.Equal(HttpStatusCode.Created, (await client.PostAsJsonAsync($"/v1/orgs/{world.OrgA}/spaces", new { name = "prod" })).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await client.PutAsync($"/v1/orgs/{world.OrgA}/spaces/prod/users/{world.AuditorName}/roles/SpaceDeveloper", null)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.PostAsJsonAsync($"/v1/orgs/{world.OrgB}/spaces", new { name = "prod" })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"/v1/apps/{world.AppA}")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await client.DeleteAsync($"/v1/apps/{world.AppA}")).StatusCode);
    }
}
