using Granary.Tests.EndToEnd;

namespace Granary.Tests.Edge.Conformance;

/// <summary>
/// Response bodies of every size around the edge's 64 KB flush threshold and beyond, framed by Content-Length
/// or chunked, on kept-alive connections, with <c>Connection: close</c>, over HTTP/1.0 and for HEAD: each
/// answered through the edge exactly as the instance answers it.
/// </summary>
[Collection(MicroCloudCollection.Name)]
public sealed class ResponseFramingConformanceTests(ConformanceApp app) : IClassFixture<ConformanceApp>
{
    private const int OneMegabyte = 1024 * 1024;

    public static TheoryData<int, string> SizesAndFramings()
    {
        var data = new TheoryData<int, string>();
        foreach (var size in new[] { 0, 1, 65_535, 65_536, 65_537, OneMegabyte })
        {
            data.Add(size, "length");
            data.Add(size, "chunked");
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(SizesAndFramings))]
    public async Task Get_FiveInARowOnOneConnection_EachAsFromInstance(int size, string mode)
    {
        await using var pair = await ConnectionPair.OpenAsync(app);
        for (var i = 1; i <= 5; i++)
        {
            var @case = $"GET {size:N0} bytes ({mode}), request {i} of 5 on one connection";

            var (direct, edge) = await pair.ExchangeAsync(@case, Bytes(size, mode));

            Assert.True(direct.Status == 200 && direct.BodyLength == size, $"{@case}: the instance itself answered {direct}");
            Assert.True(edge.ConnectionReusable, $"{@case}: the edge closed a kept-alive connection: {edge}");
        }
    }

    [Theory]
    [InlineData(0, "length")]
    [InlineData(65_537, "length")]
    [InlineData(65_537, "chunked")]
    [InlineData(OneMegabyte, "length")]
    [InlineData(OneMegabyte, "chunked")]
    public async Task Get_ConnectionClose_AsFromInstanceThenClosed(int size, string mode)
    {
        await using var pair = await ConnectionPair.OpenAsync(app);
        var @case = $"GET {size:N0} bytes ({mode}) with Connection: close";

        var (direct, _) = await pair.ExchangeAsync(@case, Bytes(size, mode) with { Headers = [("Connection", "close")] });

        Assert.Equal(size, direct.BodyLength);
        Assert.True(await pair.Edge.ClosedByPeerWithinAsync(TimeSpan.FromSeconds(5)), $"{@case}: the edge kept the connection open");
    }

    [Theory]
    [InlineData(65_537, "length", false)]
    [InlineData(65_537, "chunked", false)]
    [InlineData(OneMegabyte, "length", false)]
    [InlineData(OneMegabyte, "chunked", false)]
    [InlineData(65_537, "length", true)]
    [InlineData(OneMegabyte, "length", true)]
    public async Task Get_Http10_AsFromInstance(int size, string mode, bool keepAlive)
    {
        await using var pair = await ConnectionPair.OpenAsync(app);
        var request = Bytes(size, mode) with { Version = "HTTP/1.0", Headers = keepAlive ? [("Connection", "keep-alive")] : [] };
        var requests = keepAlive ? 3 : 1;
        for (var i = 1; i <= requests; i++)
        {
            var @case = $"HTTP/1.0 GET {size:N0} bytes ({mode}){(keepAlive ? $" with keep-alive, request {i} of {requests}" : "")}";

            var (direct, edge) = await pair.ExchangeAsync(@case, request);

            Assert.True(direct.Status == 200 && direct.BodyLength == size, $"{@case}: the instance itself answered {direct}");
            if (keepAlive)
            {
                Assert.True(direct.ConnectionReusable, $"{@case}: the instance closed the connection: {direct}");
                Assert.True(edge.ConnectionReusable, $"{@case}: the edge closed a connection the client and instance keep alive: {edge}");
            }
        }
    }

    /// <summary>A body past Kestrel's and YARP's buffers many times over, then a small request on the same connection.</summary>
    [Theory]
    [InlineData("length")]
    [InlineData("chunked")]
    public async Task Get_50MegabytesThenAnother_BothAsFromInstance(string mode)
    {
        await using var pair = await ConnectionPair.OpenAsync(app);

        var (direct, _) = await pair.ExchangeAsync($"GET 50 MB ({mode})", Bytes(Pattern.FiftyMegabytes, mode));
        await pair.ExchangeAsync($"GET 1 byte after 50 MB ({mode}) on the same connection", Bytes(1, "length"));

        Assert.Equal(Pattern.FiftyMegabytes, direct.BodyLength);
    }

    /// <summary>HEAD carries GET's headers and no body; the GET after it on the connection shows nothing was left over.</summary>
    [Theory]
    [InlineData(0, "length")]
    [InlineData(65_537, "length")]
    [InlineData(65_537, "chunked")]
    [InlineData(Pattern.FiftyMegabytes, "length")]
    public async Task Head_ThenGet_BothAsFromInstance(int size, string mode)
    {
        await using var pair = await ConnectionPair.OpenAsync(app);

        var (head, _) = await pair.ExchangeAsync($"HEAD {size:N0} bytes ({mode})", Bytes(size, mode) with { Method = "HEAD" });
        var (get, _) = await pair.ExchangeAsync($"GET 65,537 bytes after HEAD {size:N0} bytes ({mode}) on the same connection", Bytes(65_537, "length"));

        Assert.True(head.Status == 200 && head.BodyLength == 0, $"the instance answered HEAD with {head}");
        Assert.Equal(65_537, get.BodyLength);
    }

    private static RawRequest Bytes(int size, string mode) => new("GET", $"/bytes/{size}?mode={mode}");
}
