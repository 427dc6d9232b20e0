using System.Net;
using System.Net.Http;

namespace Granary.Tests.Edge;

/// <summary>Request bodies through a real edge: unlimited by default (as behind gorouter), limited live by the cluster config.</summary>
public sealed class RequestBodyLimitEdgeTests(EdgeHarness edge) : IClassFixture<EdgeHarness>
{
    private const string Setting = "Granary:Edge:MaxRequestBodySize";

    [Fact]
    public async Task Post_50MBBodyWithNoLimitSet_ArrivesWhole()
    {
        edge.SetClusterConfig();
        await edge.RouteAsync(edge.App("upload", null, 0));

        var response = await edge.SendAsync("upload.test", "/length", HttpMethod.Post, content: new ByteArrayContent(new byte[50_000_000]));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("50000000", await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Post_OverTheClusterLimit_413NamingTheSettingAndNotForwarded(bool withContentLength)
    {
        edge.SetClusterConfig((Setting, "1048576"));
        await edge.RouteAsync(edge.App("limited", null, 1));
        var before = edge.Backends[1].HitsOn("/length");
        HttpContent body = withContentLength
            ? new ByteArrayContent(new byte[2 * 1024 * 1024])
            : new StreamContent(new MemoryStream(new byte[2 * 1024 * 1024]));

        var response = await edge.SendAsync("limited.test", "/length", HttpMethod.Post, content: body);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal($"413 Payload Too Large: request bodies are limited to 1048576 bytes here ({Setting})\n", await response.Content.ReadAsStringAsync());
        // A body announced as too large never reaches the instance; a chunked one is cut off before it is whole.
        if (withContentLength)
        {
            Assert.Equal(before, edge.Backends[1].HitsOn("/length"));
        }
    }

    [Fact]
    public async Task Post_LimitRaisedLive_NextRequestUsesTheNewLimit()
    {
        edge.SetClusterConfig((Setting, "1048576"));
        await edge.RouteAsync(edge.App("raised", null, 2));
        var refused = await edge.SendAsync("raised.test", "/length", HttpMethod.Post, content: new ByteArrayContent(new byte[1_500_000]));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, refused.StatusCode);

        edge.SetClusterConfig((Setting, "unlimited"));
        var accepted = await edge.SendAsync("raised.test", "/length", HttpMethod.Post, content: new ByteArrayContent(new byte[1_500_000]));

        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
        Assert.Equal("1500000", await accepted.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Post_UnderTheLimit_Forwarded()
    {
        edge.SetClusterConfig((Setting, "1M"));
        await edge.RouteAsync(edge.App("under", null, 0));

        var response = await edge.SendAsync("under.test", "/length", HttpMethod.Post, content: new ByteArrayContent(new byte[1024 * 1024]));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("1048576", await response.Content.ReadAsStringAsync());
    }
}
