using System.Net;
using System.Net.Http;
using System.Net.Sockets;
using Granary.Edge.Traffic;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Primitives;
using Yarp.ReverseProxy.Forwarder;

namespace Granary.Tests.Edge;

public sealed class ForwardedHeadersTests
{
    [Fact]
    public void Decide_UntrustedPeerWithSpoofedHeaders_ReplacedByWhatTheEdgeSaw()
    {
        var values = ForwardedHeaders.Decide(false, "203.0.113.9", "http", "app.localhost:7780",
            "6.6.6.6", "https", "evil.example");

        Assert.Equal(new ForwardedValues("203.0.113.9", "http", "app.localhost:7780"), values);
    }

    [Fact]
    public void Decide_UntrustedPeerWithoutHeaders_PeerSchemeAndHost()
    {
        var values = ForwardedHeaders.Decide(false, "10.1.1.1", "http", "a.localhost", StringValues.Empty, StringValues.Empty, StringValues.Empty);

        Assert.Equal(new ForwardedValues("10.1.1.1", "http", "a.localhost"), values);
    }

    [Fact]
    public void Decide_TrustedBalancer_AppendsPeerToItsChainAndKeepsProtoAndHost()
    {
        var values = ForwardedHeaders.Decide(true, "10.0.0.2", "http", "a.internal",
            "198.51.100.7, 10.0.0.1", "https", "shop.example.com");

        Assert.Equal(new ForwardedValues("198.51.100.7, 10.0.0.1, 10.0.0.2", "https", "shop.example.com"), values);
    }

    [Fact]
    public void Decide_TrustedBalancerSendingSeveralHeaderLines_JoinsThemInOrder()
    {
        var values = ForwardedHeaders.Decide(true, "10.0.0.2", "http", "h", new StringValues(["1.1.1.1", "2.2.2.2"]), StringValues.Empty, StringValues.Empty);

        Assert.Equal("1.1.1.1, 2.2.2.2, 10.0.0.2", values.For);
    }

    [Fact]
    public void Decide_TrustedBalancerSendingNothing_BehavesLikeAClient()
    {
        var values = ForwardedHeaders.Decide(true, "10.0.0.2", "http", "h", StringValues.Empty, StringValues.Empty, StringValues.Empty);

        Assert.Equal(new ForwardedValues("10.0.0.2", "http", "h"), values);
    }
}

public sealed class TrustedProxiesTests
{
    [Fact]
    public void None_TrustsNobodyNotEvenLoopback()
    {
        Assert.False(TrustedProxies.None.Contains(IPAddress.Loopback));
        Assert.False(TrustedProxies.None.Contains(null));
    }

    [Theory]
    [InlineData("10.0.0.5", "10.0.0.5", true)]
    [InlineData("10.0.0.5", "10.0.0.6", false)]
    [InlineData("10.0.0.0/8", "10.200.3.4", true)]
    [InlineData("10.0.0.0/8", "11.0.0.1", false)]
    [InlineData("192.168.1.0/24, 127.0.0.1", "127.0.0.1", true)]
    [InlineData("fd00::/8", "fd12::1", true)]
    [InlineData("::1", "::1", true)]
    [InlineData("10.0.0.5", "::ffff:10.0.0.5", true)]
    [InlineData("10.0.0.0/8", "::ffff:10.9.9.9", true)]
    public void Contains_IpsAndCidrs(string setting, string peer, bool expected) =>
        Assert.Equal(expected, TrustedProxies.Parse([setting]).Contains(IPAddress.Parse(peer)));

    [Theory]
    [InlineData("10.0.0.300")]
    [InlineData("balancer.example")]
    [InlineData("10.0.0.0/99")]
    public void Parse_BadEntry_ThrowsNamingIt(string bad)
    {
        var error = Assert.Throws<FormatException>(() => TrustedProxies.Parse(["10.0.0.1", bad]));

        Assert.Contains(bad, error.Message);
    }

    [Fact]
    public void FromConfiguration_ListOrCommaSeparatedValue_BothRead()
    {
        var config = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["list:0"] = "10.0.0.1",
            ["list:1"] = "172.16.0.0/12",
            ["single"] = "10.0.0.1,172.16.0.0/12",
        }).Build();

        foreach (var key in new[] { "list", "single" })
        {
            var proxies = TrustedProxies.FromConfiguration(config.GetSection(key));
            Assert.True(proxies.Contains(IPAddress.Parse("172.20.1.1")), key);
            Assert.True(proxies.Contains(IPAddress.Parse("10.0.0.1")), key);
            Assert.False(proxies.Contains(IPAddress.Parse("10.0.0.2")), key);
        }

        Assert.True(TrustedProxies.FromConfiguration(config.GetSection("absent")).IsEmpty);
    }
}

public sealed class InstanceTargetTests
{
    private static readonly Guid AppId = Guid.Parse("6f1c2d3e-0000-4000-8000-00000000abcd");

    [Theory]
    [InlineData("6f1c2d3e-0000-4000-8000-00000000abcd:2", 2)]
    [InlineData(" 6f1c2d3e-0000-4000-8000-00000000abcd : 0 ", 0)]
    [InlineData("6F1C2D3E00004000800000000000ABCD:17", 17)]
    public void TryParse_AppIdAndIndex_Parsed(string header, int index)
    {
        Assert.True(InstanceTarget.TryParse(header, out var target, out _));
        Assert.Equal(new InstanceTarget(AppId, index), target);
    }

    [Theory]
    [InlineData("", "APP_ID:INDEX")]
    [InlineData("6f1c2d3e-0000-4000-8000-00000000abcd", "APP_ID:INDEX")]
    [InlineData("node-hello:1", "not an app id")]
    [InlineData("6f1c2d3e-0000-4000-8000-00000000abcd:one", "not an instance index")]
    [InlineData("6f1c2d3e-0000-4000-8000-00000000abcd:-1", "not an instance index")]
    [InlineData("6f1c2d3e-0000-4000-8000-00000000abcd:", "not an instance index")]
    [InlineData("6f1c2d3e-0000-4000-8000-00000000abcd:99999999999", "not an instance index")]
    public void TryParse_Malformed_ReasonSaysWhat(string header, string reason)
    {
        Assert.False(InstanceTarget.TryParse(header, out _, out var error));
        Assert.Contains(reason, error);
    }

    [Fact]
    public void TryParse_TwoHeaders_Refused()
    {
        Assert.False(InstanceTarget.TryParse(new StringValues([$"{AppId}:1", $"{AppId}:2"]), out _, out var error));
        Assert.Contains("one", error);
    }

    [Fact]
    public void TryParse_HugeGarbage_ReasonStaysShort()
    {
        Assert.False(InstanceTarget.TryParse(new string('x', 10_000), out _, out var error));
        Assert.True(error.Length < 200);
    }
}

public sealed class RequestIdsTests
{
    [Theory]
    [InlineData("abc-123")]
    [InlineData("0f8fad5b-d9cb-469f-a165-70867728950e")]
    public void Accept_SaneId_Kept(string id) => Assert.Equal(id, RequestIds.Accept(id));

    [Fact]
    public void Accept_Missing_Null() => Assert.Null(RequestIds.Accept(StringValues.Empty));

    [Theory]
    [InlineData("")]
    [InlineData("has space")]
    [InlineData("new\nline")]
    [InlineData("ünïcode")]
    public void Accept_Unsafe_Null(string id) => Assert.Null(RequestIds.Accept(id));

    [Fact]
    public void Accept_TooLongOrTwoValues_Null()
    {
        Assert.Null(RequestIds.Accept(new string('a', RequestIds.MaxLength + 1)));
        Assert.Null(RequestIds.Accept(new StringValues(["a", "b"])));
    }

    [Fact]
    public void New_UniqueAndAcceptable()
    {
        var ids = Enumerable.Range(0, 1000).Select(_ => RequestIds.New()).ToList();

        Assert.Equal(1000, ids.Distinct().Count());
        Assert.All(ids, id => Assert.Equal(id, RequestIds.Accept(id)));
    }
}

public sealed class RetryPolicyTests
{
    private static readonly Exception Refused = new HttpRequestException(HttpRequestError.ConnectionError, "refused", new SocketException((int)SocketError.ConnectionRefused));
    private static readonly Exception Reset = new HttpRequestException(HttpRequestError.ResponseEnded, "ended");
    private static readonly Exception ConnectTimeout = new TaskCanceledException("canceled", new TimeoutException("connect timed out"));
    private static readonly Exception ActivityTimeout = new TaskCanceledException("canceled");

    [Theory]
    [InlineData("GET")]
    [InlineData("POST")]
    public void CanRetry_ConnectTimeout_AnyMethodEvenWithBody(string method) =>
        Assert.True(RetryPolicy.CanRetry(ForwarderError.RequestTimedOut, ConnectTimeout, method, hasBody: true, responseStarted: false));

    [Fact]
    public void CanRetry_InstanceSlowToAnswerAfterReceiving_No() =>
        Assert.False(RetryPolicy.CanRetry(ForwarderError.RequestTimedOut, ActivityTimeout, "GET", hasBody: false, responseStarted: false));

    [Fact]
    public void Describe_ConnectTimeout_SaysTheConnectionWasNotAccepted() =>
        Assert.Equal("504 Gateway Timeout: shop instance 1 did not accept the connection in time\n",
            ProxyErrors.Describe(504, ForwarderError.RequestTimedOut, ConnectTimeout, "shop", "1"));

    [Theory]
    [InlineData("GET")]
    [InlineData("POST")]
    [InlineData("PATCH")]
    public void CanRetry_ConnectionRefused_AnyMethodEvenWithBody(string method) =>
        Assert.True(RetryPolicy.CanRetry(ForwarderError.Request, Refused, method, hasBody: true, responseStarted: false));

    [Theory]
    [InlineData("GET", true)]
    [InlineData("HEAD", true)]
    [InlineData("OPTIONS", true)]
    [InlineData("PUT", true)]
    [InlineData("DELETE", true)]
    [InlineData("TRACE", true)]
    [InlineData("POST", false)]
    [InlineData("PATCH", false)]
    public void CanRetry_FailedAfterSending_OnlyIdempotentMethods(string method, bool expected) =>
        Assert.Equal(expected, RetryPolicy.CanRetry(ForwarderError.Request, Reset, method, hasBody: false, responseStarted: false));

    [Fact]
    public void CanRetry_IdempotentWithStreamedBodyAfterSending_No() =>
        Assert.False(RetryPolicy.CanRetry(ForwarderError.Request, Reset, "PUT", hasBody: true, responseStarted: false));

    [Fact]
    public void CanRetry_ResponseStarted_Never() =>
        Assert.False(RetryPolicy.CanRetry(ForwarderError.Request, Refused, "GET", hasBody: false, responseStarted: true));

    [Theory]
    [InlineData(ForwarderError.RequestTimedOut)]
    [InlineData(ForwarderError.ResponseBodyDestination)]
    [InlineData(ForwarderError.RequestCanceled)]
    [InlineData(ForwarderError.NoAvailableDestinations)]
    public void CanRetry_OtherErrors_No(ForwarderError error) =>
        Assert.False(RetryPolicy.CanRetry(error, Refused, "GET", hasBody: false, responseStarted: false));
}

public sealed class ProxyErrorsTests
{
    [Fact]
    public void Describe_Refused_NamesAppInstanceAndCause()
    {
        var text = ProxyErrors.Describe(502, ForwarderError.Request,
            new HttpRequestException(HttpRequestError.ConnectionError, "x", new SocketException((int)SocketError.ConnectionRefused)), "shop", "2");

        Assert.Equal("502 Bad Gateway: shop instance 2 refused the connection\n", text);
    }

    [Fact]
    public void Describe_Timeout_SaysSo() =>
        Assert.Equal("504 Gateway Timeout: shop instance 0 did not answer in time\n", ProxyErrors.Describe(504, ForwarderError.RequestTimedOut, null, "shop", "0"));

    [Fact]
    public void Describe_BrokenResponse_NamesTheCause() =>
        Assert.Contains("shop instance 1 sent a broken response (ResponseEnded)",
            ProxyErrors.Describe(502, ForwarderError.ResponseHeaders, new HttpRequestException(HttpRequestError.ResponseEnded, "x"), "shop", "1"));

    [Fact]
    public void Describe_NoDestinations_NamesTheApp() =>
        Assert.Equal("503 Service Unavailable: shop has no running instances\n", ProxyErrors.Describe(503, ForwarderError.NoAvailableDestinations, null, "shop", null));

    [Fact]
    public void Describe_NeverLeaksAddresses()
    {
        var text = ProxyErrors.Describe(502, ForwarderError.Request,
            new HttpRequestException(HttpRequestError.Unknown, "Connection refused (10.0.0.9:41234)", new SocketException((int)SocketError.HostUnreachable)), "shop", "1");

        Assert.DoesNotContain("10.0.0.9", text);
        Assert.Contains("HostUnreachable", text);
    }
}
