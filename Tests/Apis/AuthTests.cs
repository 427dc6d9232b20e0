using System.Net;
using System.Net.Http.Headers;
using Granary.Tests.Infrastructure;

namespace Granary.Tests.Apis;

[Collection(SiloCollection.Name)]
public sealed class AuthTests(SiloFactory silo)
{
    [Theory]
    [InlineData("/v1/info")]
    [InlineData("/healthz")]
    [InlineData("/openapi/v1.json")]
    public async Task Get_PublicEndpoint_NoTokenNeeded(string path)
    {
        var response = await silo.CreateClient().GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Info_Anonymous_NamesDomainAndVersion()
    {
        var info = await (await silo.CreateClient().GetAsync("/v1/info")).Json();

        Assert.Equal("localhost", (string?)info["domain"]);
        Assert.False(string.IsNullOrEmpty((string?)info["version"]));
        Assert.Equal("http://localhost:7780", (string?)info["edge"]);
    }

    [Theory]
    [InlineData("/v1/apps")]
    [InlineData("/metrics")]
    public async Task Get_NoToken_401ProblemSayingHowToAuthenticate(string path)
    {
        var response = await silo.CreateClient().GetAsync(path);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("Authorization: Bearer", (string?)(await response.Json())["detail"]);
    }

    [Fact]
    public async Task Get_WrongToken_401TokenNotValid()
    {
        var client = silo.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "not-the-token");

        var response = await client.GetAsync("/v1/apps");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("not valid", (string?)(await response.Json())["detail"]);
    }

    [Fact]
    public async Task Dashboard_NoToken_BasicChallengeForBrowsers()
    {
        var response = await silo.CreateClient().GetAsync("/dashboard");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Basic", response.Headers.WwwAuthenticate.Single().Scheme);
    }

    [Fact]
    public async Task Dashboard_TokenAsBasicPassword_Served()
    {
        var client = silo.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic",
            Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes("admin:" + SiloFactory.Token)));

        var response = await client.GetAsync("/dashboard/");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Metrics_WithToken_PrometheusText()
    {
        var response = await silo.Admin().GetAsync("/metrics");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }
}
