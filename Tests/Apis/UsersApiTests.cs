using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Granary.Tests.Infrastructure;

namespace Granary.Tests.Apis;

/// <summary>Users, logins and the admin role through the real API of a real node.</summary>
[Collection(SiloCollection.Name)]
public sealed class UsersApiTests(SiloFactory silo)
{
    private const string Password = "a long enough password";

    [Fact]
    public async Task Login_NewUser_TokenWorksForMeButAdminCallsAre403NamingTheRole()
    {
        var name = await CreateUserAsync();

        var user = await LoginAsync(name, Password);

        var me = await (await user.GetAsync("/v1/auth/me")).Json();
        Assert.Equal(name, (string?)me["name"]);
        Assert.False((bool)me["admin"]!);
        foreach (var path in new[] { "/v1/nodes", "/v1/users", "/v1/cluster/join", "/metrics" })
        {
            var refused = await user.GetAsync(path);
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
            Assert.Contains("admin role", (string?)(await refused.Json())["detail"]);
        }
    }

    [Fact]
    public async Task Login_WrongPassword_401SayingWhatToCheck()
    {
        var name = await CreateUserAsync();

        var response = await silo.CreateClient().PostAsJsonAsync("/v1/auth/login", new { username = name, password = "not the password" });

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("user name or password is wrong", (string?)(await response.Json())["detail"]);
    }

    [Fact]
    public async Task Logout_Session_AccessAndRefreshTokensStopWorking()
    {
        var name = await CreateUserAsync();
        var (client, tokens) = await LoginWithTokensAsync(name, Password);

        Assert.Equal(HttpStatusCode.NoContent, (await client.PostAsync("/v1/auth/logout", null)).StatusCode);

        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/v1/auth/me")).StatusCode);
        var refresh = await silo.CreateClient().PostAsJsonAsync("/v1/auth/refresh", new { refreshToken = (string)tokens["refreshToken"]! });
        Assert.Equal(HttpStatusCode.Unauthorized, refresh.StatusCode);
    }

    [Fact]
    public async Task Refresh_ValidToken_NewAccessTokenWorks()
    {
        var name = await CreateUserAsync();
        var (_, tokens) = await LoginWithTokensAsync(name, Password);

        var refreshed = await (await silo.CreateClient().PostAsJsonAsync("/v1/auth/refresh", new { refreshToken = (string)tokens["refreshToken"]! })).Json();

        var client = Bearer((string)refreshed["accessToken"]!);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/v1/auth/me")).StatusCode);
        Assert.NotEqual((string?)tokens["accessToken"], (string?)refreshed["accessToken"]);
    }

    [Fact]
    public async Task Passwd_OwnWithCurrentPassword_ChangedAndOldSessionEnded()
    {
        var name = await CreateUserAsync();
        var user = await LoginAsync(name, Password);

        var wrong = await user.PutAsJsonAsync($"/v1/users/{name}/password", new { password = "another long password", currentPassword = "not it" });
        Assert.Equal(HttpStatusCode.Forbidden, wrong.StatusCode);
        var changed = await user.PutAsJsonAsync($"/v1/users/{name}/password", new { password = "another long password", currentPassword = Password });

        Assert.Equal(HttpStatusCode.NoContent, changed.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await user.GetAsync("/v1/auth/me")).StatusCode);
        await LoginAsync(name, "another long password");
    }

    [Fact]
    public async Task Passwd_AnotherUsersAsNonAdmin_403()
    {
        var victim = await CreateUserAsync();
        var user = await LoginAsync(await CreateUserAsync(), Password);

        var response = await user.PutAsJsonAsync($"/v1/users/{victim}/password", new { password = "taken over password", currentPassword = Password });

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        await LoginAsync(victim, Password);
    }

    [Fact]
    public async Task CreateUser_AsNonAdmin_403AndNoUserMade()
    {
        var user = await LoginAsync(await CreateUserAsync(), Password);
        var name = SiloCollection.UniqueName("sneaky");

        var response = await user.PostAsJsonAsync("/v1/users", new { name, password = Password, admin = true });

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.DoesNotContain(name, await (await silo.Admin().GetAsync("/v1/users")).Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("{\"name\":\"ok-name\",\"password\":\"short\"}", 422, "too short")]
    [InlineData("{\"name\":\"Bad Name\",\"password\":\"long enough pass\"}", 422, "not a user name")]
    [InlineData("{\"name\":\"x\",\"password\":\"long enough pass\",\"role\":\"admin\"}", 400, "role")]
    [InlineData("{\"password\":\"long enough pass\"}", 400, "name")]
    public async Task CreateUser_BadBody_ProblemNamingTheField(string json, int status, string mention)
    {
        var response = await silo.Admin().PostAsync("/v1/users", new StringContent(json, System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(status, (int)response.StatusCode);
        Assert.Contains(mention, (string?)(await response.Json())["detail"]);
    }

    [Fact]
    public async Task AdminUser_Login_CanCallAdminEndpoints()
    {
        var name = SiloCollection.UniqueName("ops");
        Assert.Equal(HttpStatusCode.Created, (await silo.Admin().PostAsJsonAsync("/v1/users", new { name, password = Password, admin = true })).StatusCode);

        var admin = await LoginAsync(name, Password);

        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("/v1/apps")).StatusCode);
    }

    private async Task<string> CreateUserAsync()
    {
        var name = SiloCollection.UniqueName("user");
        var response = await silo.Admin().PostAsJsonAsync("/v1/users", new { name, password = Password });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return name;
    }

    private async Task<HttpClient> LoginAsync(string name, string password) => (await LoginWithTokensAsync(name, password)).Client;

    private async Task<(HttpClient Client, System.Text.Json.Nodes.JsonNode Tokens)> LoginWithTokensAsync(string name, string password)
    {
        var response = await silo.CreateClient().PostAsJsonAsync("/v1/auth/login", new { username = name, password });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var tokens = await response.Json();
        return (Bearer((string)tokens["accessToken"]!), tokens);
    }

    private HttpClient Bearer(string token)
    {
        var client = silo.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }
}
