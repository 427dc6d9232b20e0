using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Granary.Tests.Infrastructure;

namespace Granary.Tests.Apis;

/// <summary>Join tokens through the real API: they read what a joining node needs, and nothing else.</summary>
[Collection(SiloCollection.Name)]
public sealed class JoinTokenTests(SiloFactory silo)
{
    [Fact]
    public async Task JoinToken_ReadsJoinDetailsAndNodesButNothingElse()
    {
        var issued = await silo.Admin().PostAsJsonAsync("/v1/cluster/join_tokens", new { ttl = "00:10:00" });
        Assert.Equal(HttpStatusCode.OK, issued.StatusCode);
        var token = (string)(await issued.Json())["token"]!;
        Assert.StartsWith("gjt_", token);
        var joiner = silo.CreateClient();
        joiner.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);

        // This test node keeps its state in memory, so it answers that nothing can join it: the token got through.
        Assert.Equal(HttpStatusCode.Conflict, (await joiner.GetAsync("/v1/cluster/join")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await joiner.GetAsync("/v1/cluster/nodes")).StatusCode);
        foreach (var path in new[] { "/v1/apps", "/v1/users", "/v1/auth/me", "/v1/orgs", "/v1/cluster/config", "/metrics" })
            Assert.True((await joiner.GetAsync(path)).StatusCode == HttpStatusCode.Forbidden, path);
        Assert.Equal(HttpStatusCode.Forbidden, (await joiner.PostAsJsonAsync("/v1/cluster/join_tokens", new { })).StatusCode);
    }

    [Theory]
    [InlineData("00:00:10")]
    [InlineData("8.00:00:00")]
    public async Task Issue_LifetimeOutOfRange_422SayingTheRange(string ttl)
    {
        var response = await silo.Admin().PostAsJsonAsync("/v1/cluster/join_tokens", new { ttl });

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Contains("1 minute to 7 days", (string?)(await response.Json())["detail"]);
    }

    [Fact]
    public async Task Issue_AsAUser_403()
    {
        var name = SiloCollection.UniqueName("user");
        await silo.Admin().PostAsJsonAsync("/v1/users", new { name, password = "a long enough password" });
        var login = await (await silo.CreateClient().PostAsJsonAsync("/v1/auth/login", new { username = name, password = "a long enough password" })).Json();
        var user = silo.CreateClient();
        user.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", (string)login["accessToken"]!);

        Assert.Equal(HttpStatusCode.Forbidden, (await user.PostAsJsonAsync("/v1/cluster/join_tokens", new { })).StatusCode);
    }
}
