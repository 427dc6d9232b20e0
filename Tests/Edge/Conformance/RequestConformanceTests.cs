using System.Text.Json.Nodes;
using Granary.Tests.EndToEnd;

namespace Granary.Tests.Edge.Conformance;

/// <summary>
/// Request bodies (empty to 50 MB, with and without <c>Expect: 100-continue</c>) and the responses a proxy must
/// not touch: 204, 304, a gzip-encoded body and trailers.
/// </summary>
[Collection(MicroCloudCollection.Name)]
public sealed class RequestConformanceTests(ConformanceApp app) : IClassFixture<ConformanceApp>
{
    [Theory]
    [InlineData(0, false)]
    [InlineData(1, false)]
    [InlineData(65_537, false)]
    [InlineData(1024 * 1024, true)]
    [InlineData(Pattern.FiftyMegabytes, false)]
    [InlineData(Pattern.FiftyMegabytes, true)]
    public async Task Post_Upload_InstanceReceivesEveryByteAsDirectly(int size, bool expectContinue)
    {
        var body = Pattern.Bytes(size);
        var sha256 = Pattern.Sha256Of(body);
        var @case = $"POST {size:N0} bytes{(expectContinue ? " with Expect: 100-continue" : "")}";
        await using var pair = await ConnectionPair.OpenAsync(app);

        var (direct, edge) = await pair.ExchangeAsync(@case, new RawRequest("POST", "/upload")
        {
            Headers = [("Content-Type", "application/octet-stream")],
            Body = body,
            ExpectContinue = expectContinue,
        });
        await pair.ExchangeAsync($"GET 1 byte after {@case} on the same connection", new RawRequest("GET", "/bytes/1"));

        var received = JsonNode.Parse(edge.Text)!;
        Assert.True((long?)received["length"] == size && (string?)received["sha256"] == sha256,
            $"{@case}: the instance received {received.ToJsonString()} through the edge, sent {size} bytes sha256 {sha256}");
        Assert.Equal(expectContinue ? [100] : [], direct.Interim);
    }

    [Fact]
    public async Task Get_NoContent_TwiceOnOneConnectionAsFromInstance()
    {
        await using var pair = await ConnectionPair.OpenAsync(app);
        for (var i = 1; i <= 2; i++)
        {
            var (direct, _) = await pair.ExchangeAsync($"GET /status/204, request {i} of 2", new RawRequest("GET", "/status/204"));

            Assert.True(direct.Status == 204, $"the instance answered {direct}");
        }
    }

    [Fact]
    public async Task Get_IfNoneMatchTheETag_NotModifiedAsFromInstance()
    {
        await using var pair = await ConnectionPair.OpenAsync(app);

        var (full, _) = await pair.ExchangeAsync("GET /status/304 without a condition", new RawRequest("GET", "/status/304"));
        var etag = full.Header("ETag")!;
        var (conditional, _) = await pair.ExchangeAsync($"GET /status/304 with If-None-Match: {etag}",
            new RawRequest("GET", "/status/304") { Headers = [("If-None-Match", etag)] });
        await pair.ExchangeAsync("GET 1 byte after a 304 on the same connection", new RawRequest("GET", "/bytes/1"));

        Assert.Equal(200, full.Status);
        Assert.Equal(304, conditional.Status);
    }

    /// <summary>The raw bytes are compared: an edge that decoded, re-encoded or re-chunked the gzip body would differ.</summary>
    [Theory]
    [InlineData("gzip")]
    [InlineData("gzip, deflate, br")]
    [InlineData(null)]
    public async Task Get_GzipEncodedBody_PassesThroughUntouched(string? acceptEncoding)
    {
        await using var pair = await ConnectionPair.OpenAsync(app);
        var request = new RawRequest("GET", "/gzip") { Headers = acceptEncoding is null ? [] : [("Accept-Encoding", acceptEncoding)] };

        var (direct, edge) = await pair.ExchangeAsync($"GET /gzip with Accept-Encoding: {acceptEncoding ?? "(none)"}", request);

        Assert.True(direct.Body is [0x1f, 0x8b, ..], $"the instance's body is not gzip: {direct}");
        Assert.Equal("gzip", edge.Header("Content-Encoding"));
    }

    /// <summary>
    /// Trailers are end-to-end fields (RFC 9110 6.5): what the instance sends after its last chunk must reach the
    /// client. The client says it accepts them (TE: trailers), as gRPC-web and checksumming clients do.
    /// </summary>
    [Fact]
    public async Task Get_ChunkedWithTrailers_TrailersArriveAsFromInstance()
    {
        await using var pair = await ConnectionPair.OpenAsync(app);

        var (direct, _) = await pair.ExchangeAsync("GET /trailers with TE: trailers",
            new RawRequest("GET", "/trailers") { Headers = [("TE", "trailers")] });

        Assert.Contains(direct.Trailers, t => t.Name == "X-Checksum");
        Assert.Contains(direct.Trailers, t => t is ("X-Row-Count", "50"));
    }
}
