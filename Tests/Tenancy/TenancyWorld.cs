using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Granary.Tests.Apis;
using Granary.Tests.Infrastructure;

namespace Granary.Tests.Tenancy;

/// <summary>
/// Two orgs on the shared test node, each with a space <c>dev</c>, and users who hold roles in them: a developer and
/// an auditor in org A's space, a developer in org B's, and a user with no role at all. The developer of A has an app.
/// Every name is unique, so the world shares the node with the other API tests.
/// </summary>
public sealed class TenancyWorld(SiloFactory silo)
{
    public const string Password = "a long enough password";

    public string OrgA { get; } = SiloCollection.UniqueName("org-a");

    public string OrgB { get; } = SiloCollection.UniqueName("org-b");

    public string SpaceA { get; private set; } = "";

    public string SpaceB { get; private set; } = "";

    public string AppA { get; private set; } = "";

    public string AppName { get; } = SiloCollection.UniqueName("web");

    public HttpClient Admin { get; } = silo.Admin();

    public HttpClient DevA { get; private set; } = null!;

    public HttpClient AuditorA { get; private set; } = null!;

    public HttpClient DevB { get; private set; } = null!;

    public HttpClient NoRole { get; private set; } = null!;

    public string AuditorName { get; } = SiloCollection.UniqueName("auditor");

    public string DevAName { get; } = SiloCollection.UniqueName("dev-a");

    public HttpClient Anonymous => silo.CreateClient();

    public async Task<TenancyWorld> BuildAsync()
    {
        SpaceA = await OrgWithSpaceAsync(OrgA);
        SpaceB = await OrgWithSpaceAsync(OrgB);
        DevA = await UserAsync(DevAName, OrgA, "SpaceDeveloper");
        AuditorA = await UserAsync(AuditorName, OrgA, "SpaceAuditor");
        DevB = await UserAsync(SiloCollection.UniqueName("dev-b"), OrgB, "SpaceDeveloper");
        NoRole = await UserAsync(SiloCollection.UniqueName("nobody"), null, null);
        var created = await DevA.PostAsJsonAsync("/v1/apps", new { name = AppName, space = SpaceA, env = new Dictionary<string, string> { ["SECRET"] = "s3cret-value" } });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        AppA = (string)(await created.Json())["id"]!;
        return this;
    }

    private async Task<string> OrgWithSpaceAsync(string org)
    {
        Assert.Equal(HttpStatusCode.Created, (await Admin.PostAsJsonAsync("/v1/orgs", new { name = org })).StatusCode);
        var space = await Admin.PostAsJsonAsync($"/v1/orgs/{org}/spaces", new { name = "dev" });
        Assert.Equal(HttpStatusCode.Created, space.StatusCode);
        return (string)(await space.Json())["id"]!;
    }

    private async Task<HttpClient> UserAsync(string name, string? org, string? spaceRole)
    {
        Assert.Equal(HttpStatusCode.Created, (await Admin.PostAsJsonAsync("/v1/users", new { name, password = Password })).StatusCode);
        if (org is not null)
            Assert.Equal(HttpStatusCode.NoContent, (await Admin.PutAsync($"/v1/orgs/{org}/spaces/dev/users/{name}/roles/{spaceRole}", null)).StatusCode);
        var login = await silo.CreateClient().PostAsJsonAsync("/v1/auth/login", new { username = name, password = Password });
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        var client = silo.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", (string)(await login.Json())["accessToken"]!);
        return client;
    }
}
