using System.Net;
using System.Net.Http.Json;
using Granary.Tests.Apis;
using Granary.Tests.Infrastructure;

namespace Granary.Tests.Tenancy;

/// <summary>Quotas through the real API: refused before anything changes, with the limit and the use named.</summary>
[Collection(SiloCollection.Name)]
public sealed class QuotaApiTests(SiloFactory silo)
{
    [Fact]
    public async Task ScaleAndCreate_PastTheOrgQuota_422NamingLimitAndUseAndNothingChanged()
    {
        var world = await new TenancyWorld(silo).BuildAsync();
        var plan = SiloCollection.UniqueName("small");
        Assert.Equal(HttpStatusCode.OK, (await world.Admin.PostAsJsonAsync("/v1/quotas", new { name = plan, instances = 2, apps = 1 })).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await world.Admin.PutAsJsonAsync($"/v1/orgs/{world.OrgA}/quota", new { quota = plan })).StatusCode);

        var scale = await world.DevA.PatchAsJsonAsync($"/v1/apps/{world.AppA}", new { instances = 3 });
        var create = await world.DevA.PostAsJsonAsync("/v1/apps", new { name = "second", space = world.SpaceA });

        Assert.Equal(HttpStatusCode.UnprocessableEntity, scale.StatusCode);
        Assert.Contains($"needs 3 instances in org {world.OrgA}; its quota '{plan}' allows 2", (string?)(await scale.Json())["detail"]);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, create.StatusCode);
        Assert.Contains("allows 1", (string?)(await create.Json())["detail"]);
        Assert.Equal(1, (int)(await (await world.DevA.GetAsync($"/v1/apps/{world.AppA}")).Json())["instances"]!);
        Assert.Equal(HttpStatusCode.OK, (await world.DevA.PatchAsJsonAsync($"/v1/apps/{world.AppA}", new { instances = 2 })).StatusCode);
        var usage = await (await world.DevA.GetAsync($"/v1/orgs/{world.OrgA}/usage")).Json();
        Assert.Equal(2, (int)usage["usage"]!["instances"]!);
    }

    [Fact]
    public async Task ConcurrentScaleUps_AgainstOneQuota_NeverPassItTogether()
    {
        var world = await new TenancyWorld(silo).BuildAsync();
        var apps = new List<string> { world.AppA };
        for (var i = 0; i < 3; i++)
            apps.Add((string)(await (await world.DevA.PostAsJsonAsync("/v1/apps", new { name = $"more-{i}", space = world.SpaceA, noRoute = true })).Json())["id"]!);
        var plan = SiloCollection.UniqueName("tight");
        await world.Admin.PostAsJsonAsync("/v1/quotas", new { name = plan, instances = 6 });
        Assert.Equal(HttpStatusCode.NoContent, (await world.Admin.PutAsJsonAsync($"/v1/orgs/{world.OrgA}/quota", new { quota = plan })).StatusCode);

        // 4 in use; each of 4 requests asks for one more, and only 2 fit.
        var answers = await Task.WhenAll(apps.Select(id => world.DevA.PatchAsJsonAsync($"/v1/apps/{id}", new { instances = 2 })));

        Assert.Equal(2, answers.Count(a => a.StatusCode == HttpStatusCode.OK));
        Assert.Equal(2, answers.Count(a => a.StatusCode == HttpStatusCode.UnprocessableEntity));
        var total = 0;
        foreach (var id in apps)
            total += (int)(await (await world.DevA.GetAsync($"/v1/apps/{id}")).Json())["instances"]!;
        Assert.Equal(6, total);
    }

    [Fact]
    public async Task AssignQuota_OrgAlreadyOverIt_RefusedSayingWhy()
    {
        var world = await new TenancyWorld(silo).BuildAsync();
        var plan = SiloCollection.UniqueName("none");
        await world.Admin.PostAsJsonAsync("/v1/quotas", new { name = plan, apps = 0 });

        var response = await world.Admin.PutAsJsonAsync($"/v1/orgs/{world.OrgA}/quota", new { quota = plan });

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Contains("already uses more", (string?)(await response.Json())["detail"]);
    }
}
