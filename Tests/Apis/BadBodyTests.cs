using System.Net;
using Granary.Tests.Infrastructure;

namespace Granary.Tests.Apis;

/// <summary>Malformed or mistyped JSON anywhere in the API: 400 with a detail that names the field and what is wrong.</summary>
[Collection(SiloCollection.Name)]
public sealed class BadBodyTests(SiloFactory silo)
{
    [Theory]
    [InlineData("/v1/apps", "{\"name\":\"x\",\"instances\":\"three\"}", "instances")]
    [InlineData("/v1/apps", "{\"name\":\"x\",\"memoryMb\":1.5}", "memoryMb")]
    [InlineData("/v1/apps", "{\"name\":\"x\",\"env\":[\"A=1\"]}", "env")]
    [InlineData("/v1/apps", "{\"name\":\"x\",\"stat\":\"STARTED\"}", "stat")]
    [InlineData("/v1/apps", "{\"name\": ", "JSON")]
    [InlineData("/v1/users", "{\"name\":\"x\",\"password\":12345678}", "password")]
    [InlineData("/v1/orgs", "{\"name\":[]}", "name")]
    [InlineData("/v1/auth/login", "{\"username\":true,\"password\":\"p\"}", "username")]
    public async Task Post_MalformedOrMistypedBody_400NamingTheField(string path, string json, string field)
    {
        var response = await silo.Admin().PostAsync(path, new StringContent(json, System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var detail = (string?)(await response.Json())["detail"];
        Assert.False(string.IsNullOrEmpty(detail), "no detail");
        Assert.Contains(field, detail, StringComparison.OrdinalIgnoreCase);
    }
}
