using System.Net;
using Granary.Tests.Infrastructure;

namespace Granary.Tests.Apis;

[Collection(SiloCollection.Name)]
public sealed class AppsApiTests(SiloFactory silo)
{
    [Fact]
    public async Task Create_ValidApp_201WithDefaults()
    {
        var name = SiloCollection.UniqueName("web");
        var response = await silo.Admin().PostJson("/v1/apps", new { name });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var app = await response.Json();
        Assert.Equal(name, (string?)app["name"]);
        Assert.Equal(1, (int?)app["instances"]);
        Assert.Equal(256, (int?)app["memoryMb"]);
        Assert.Equal("STARTED", (string?)app["state"]);
        Assert.Equal("NONE", (string?)app["staging"]!["state"]);
        Assert.Equal($"http://{name}.localhost:7780", (string?)app["urls"]![0]);
    }

    [Theory]
    [InlineData("Bad_Name")]
    [InlineData("-x")]
    [InlineData("")]
    public async Task Create_InvalidName_422AndNothingCreated(string name)
    {
        var client = silo.Admin();

        var response = await client.PostJson("/v1/apps", new { name });

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var problem = await response.Json();
        Assert.Contains("not a valid app name", (string?)problem["errors"]!["name"]![0]);
        Assert.Empty((await (await client.GetAsync($"/v1/apps?name={name}")).Json()).AsArray());
    }

    [Fact]
    public async Task Create_NoName_422NameRequired()
    {
        var response = await silo.Admin().PostJson("/v1/apps", new { instances = 2 });

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Contains("name is required", (string?)(await response.Json())["detail"]);
    }

    [Fact]
    public async Task Create_NameTaken_409()
    {
        var client = silo.Admin();
        var name = SiloCollection.UniqueName("dup");
        await client.CreateAppAsync(name);

        var response = await client.PostJson("/v1/apps", new { name });

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Contains("already exists", (string?)(await response.Json())["detail"]);
    }

    [Fact]
    public async Task Create_UnknownField_400NamingIt()
    {
        var response = await silo.Admin().PostJson("/v1/apps", new { name = "typo", instnaces = 3 });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("instnaces", (string?)(await response.Json())["detail"]);
    }

    [Fact]
    public async Task Create_MalformedJson_400Problem()
    {
        var content = new StringContent("{\"name\": ", System.Text.Encoding.UTF8, "application/json");

        var response = await silo.Admin().PostAsync("/v1/apps", content);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Get_UnknownId_404Problem()
    {
        var response = await silo.Admin().GetAsync($"/v1/apps/{Guid.NewGuid()}");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("no app with id", (string?)(await response.Json())["detail"]);
    }

    [Fact]
    public async Task Update_InvalidInstances_422AndAppUnchanged()
    {
        var client = silo.Admin();
        var id = await client.CreateAppAsync(SiloCollection.UniqueName("scale"));

        var response = await client.PatchJson($"/v1/apps/{id}", new { instances = -2 });

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var app = await (await client.GetAsync($"/v1/apps/{id}")).Json();
        Assert.Equal(1, (int?)app["instances"]);
        Assert.Equal(1, (long?)app["version"]);
    }

    [Fact]
    public async Task Update_EnvAndRename_VersionBumpedAndEventsRecorded()
    {
        var client = silo.Admin();
        var id = await client.CreateAppAsync(SiloCollection.UniqueName("env"));
        var renamed = SiloCollection.UniqueName("renamed");

        var response = await client.PatchJson($"/v1/apps/{id}", new { name = renamed, env = new Dictionary<string, string> { ["GREETING"] = "hello" } });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var app = await response.Json();
        Assert.Equal(renamed, (string?)app["name"]);
        Assert.Equal("hello", (string?)app["env"]!["GREETING"]);
        Assert.Equal(2, (long?)app["version"]);
        Assert.Single((await (await client.GetAsync($"/v1/apps?name={renamed}")).Json()).AsArray());
        var events = (await (await client.GetAsync($"/v1/apps/{id}/events")).Json()).AsArray();
        Assert.Equal(["app.created", "app.updated"], events.Select(e => (string?)e!["type"]));
    }

    [Fact]
    public async Task Update_ReservedEnv_422()
    {
        var client = silo.Admin();
        var id = await client.CreateAppAsync(SiloCollection.UniqueName("port"));

        var response = await client.PatchJson($"/v1/apps/{id}", new { env = new Dictionary<string, string> { ["PORT"] = "80" } });

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
    }

    [Fact]
    public async Task Delete_App_GoneAndNameFree()
    {
        var client = silo.Admin();
        var name = SiloCollection.UniqueName("gone");
        var id = await client.CreateAppAsync(name);

        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync($"/v1/apps/{id}")).StatusCode);

        var after = await client.GetAsync($"/v1/apps/{id}");
        Assert.True(after.StatusCode == HttpStatusCode.NotFound, await after.Content.ReadAsStringAsync());
        await client.CreateAppAsync(name);
    }

    [Fact]
    public async Task Delete_App_EventsStillTellWhatHappened()
    {
        var client = silo.Admin();
        var name = SiloCollection.UniqueName("tomb");
        var id = await client.CreateAppAsync(name);

        await client.DeleteAsync($"/v1/apps/{id}");

        var byId = (await (await client.GetAsync($"/v1/apps/{id}/events")).Json()).AsArray();
        Assert.Equal("app.deleted", (string?)byId[^1]!["type"]);
        var byName = (await (await client.GetAsync($"/v1/events?app={name}")).Json()).AsArray();
        Assert.Equal(["app.created", "app.deleted"], byName.Select(e => (string?)e!["type"]));
    }

    [Fact]
    public async Task EventsByName_NeverExisted_404()
    {
        var response = await silo.Admin().GetAsync($"/v1/events?app={SiloCollection.UniqueName("never")}");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }
}
