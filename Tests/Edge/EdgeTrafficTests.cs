using System.Net;
using System.Net.Http;
using System.Net.WebSockets;
using System.Text;
using Granary.Routes;
using Granary.Tests.Infrastructure;

namespace Granary.Tests.Edge;

/// <summary>The traffic rules through a real edge (Kestrel + YARP + the middlewares) to real loopback servers.</summary>
public sealed class EdgeTrafficTests(EdgeHarness edge) : IClassFixture<EdgeHarness>
{
    [Fact]
    public async Task Request_UnknownHost_404NamingTheHost()
    {
        await edge.RouteAsync(edge.App("known", null, 0));

        var response = await edge.SendAsync("nobody.test:8080", "/some/path");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("text/plain", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal("404 Not Found: no app is mapped to nobody.test\n", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Request_AppWithoutRunningInstances_503NamingTheApp()
    {
        await edge.RouteAsync(edge.App("stopped"));

        var response = await edge.SendAsync("stopped.test", "/");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("503 Service Unavailable: stopped has no running instances\n", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Requests_ThreeInstancesRoundRobin_EachServesAThird()
    {
        await edge.RouteAsync(edge.App("spread", null, 0, 1, 2));

        var counts = new Dictionary<string, int>();
        for (var i = 0; i < 30; i++)
        {
            var response = await edge.SendAsync("spread.test", "/");
            var index = EdgeHarness.InstanceIndex(response)!;
            Assert.Equal($"instance {index}\n", await response.Content.ReadAsStringAsync());
            counts[index] = counts.GetValueOrDefault(index) + 1;
        }

        Assert.Equal(new Dictionary<string, int> { ["0"] = 10, ["1"] = 10, ["2"] = 10 }, counts);
    }

    [Fact]
    public async Task Request_HostInUpperCaseWithPort_Routed()
    {
        await edge.RouteAsync(edge.App("cased", null, 1));

        var response = await edge.SendAsync("CASED.Test:7780", "/");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("1", EdgeHarness.InstanceIndex(response));
    }

    [Fact]
    public async Task Request_NoRequestId_GeneratedForwardedAndReturned()
    {
        await edge.RouteAsync(edge.App("ids", null, 0));

        var response = await edge.SendAsync("ids.test", "/headers");
        var seen = System.Text.Json.JsonSerializer.Deserialize<Dictionary<string, string>>(await response.Content.ReadAsStringAsync())!;

        var returned = response.Headers.GetValues("X-Request-Id").Single();
        Assert.Matches("^[0-9a-f]{32}$", returned);
        Assert.Equal(returned, seen["x-request-id"]);
    }

    [Fact]
    public async Task Request_WithRequestId_KeptForwardedAndReturnedOnce()
    {
        await edge.RouteAsync(edge.App("ids2", null, 0));

        var response = await edge.SendAsync("ids2.test", "/headers", configure: r => r.Headers.Add("X-Request-Id", "client-chosen-42"));
        var seen = System.Text.Json.JsonSerializer.Deserialize<Dictionary<string, string>>(await response.Content.ReadAsStringAsync())!;

        Assert.Equal(["client-chosen-42"], response.Headers.GetValues("X-Request-Id"));
        Assert.Equal("client-chosen-42", seen["x-request-id"]);
    }

    [Fact]
    public async Task Request_EdgeAnswersItself_StillCarriesARequestId()
    {
        var response = await edge.SendAsync("nobody-at-all.test", "/");

        Assert.Matches("^[0-9a-f]{32}$", response.Headers.GetValues("X-Request-Id").Single());
    }

    [Fact]
    public async Task Request_SpoofedForwardingHeaders_AppSeesThePeerInstead()
    {
        await edge.RouteAsync(edge.App("spoof", null, 2));

        var seen = await edge.HeadersSeenByAppAsync("spoof.test", r =>
        {
            r.Headers.Add("X-Forwarded-For", "6.6.6.6");
            r.Headers.Add("X-Forwarded-Proto", "https");
            r.Headers.Add("X-Forwarded-Host", "bank.example");
            r.Headers.Add("Forwarded", "for=6.6.6.6");
            r.Headers.Add("X-Real-IP", "6.6.6.6");
        });

        Assert.Equal("127.0.0.1", seen["x-forwarded-for"]);
        Assert.Equal("http", seen["x-forwarded-proto"]);
        Assert.Equal("spoof.test", seen["x-forwarded-host"]);
        Assert.False(seen.ContainsKey("forwarded"));
        Assert.False(seen.ContainsKey("x-real-ip"));
        Assert.DoesNotContain(seen.Values, v => v.Contains("6.6.6.6"));
    }

    [Fact]
    public async Task Request_HostHeader_PassedToTheAppAsTheClientSentIt()
    {
        await edge.RouteAsync(edge.App("hosty", null, 0));

        var seen = await edge.HeadersSeenByAppAsync($"hosty.test:{edge.Port}");

        Assert.Equal($"hosty.test:{edge.Port}", seen["host"]);
    }

    [Fact]
    public async Task TargetInstance_ValidHeader_EveryRequestToThatInstanceAndHeaderNotForwarded()
    {
        var app = edge.App("target", null, 0, 1, 2);
        await edge.RouteAsync(app);

        for (var i = 0; i < 6; i++)
        {
            var response = await edge.SendAsync("target.test", "/", configure: r => r.Headers.Add("X-Granary-Instance", $"{app.AppId}:1"));
            Assert.Equal("instance 1\n", await response.Content.ReadAsStringAsync());
        }

        var seen = await edge.HeadersSeenByAppAsync("target.test", r => r.Headers.Add("X-Granary-Instance", $"{app.AppId}:2"));
        Assert.False(seen.ContainsKey("x-granary-instance"));
    }

    [Theory]
    [InlineData("garbage", "must be APP_ID:INDEX")]
    [InlineData("not-a-guid:1", "is not an app id")]
    [InlineData("{app}:x", "is not an instance index")]
    public async Task TargetInstance_Malformed_400WithTheReason(string header, string reason)
    {
        var app = edge.App("badtarget", null, 0);
        await edge.RouteAsync(app);

        var response = await edge.SendAsync("badtarget.test", "/", configure: r => r.Headers.TryAddWithoutValidation("X-Granary-Instance", header.Replace("{app}", app.AppId.ToString())));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(reason, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task TargetInstance_NoSuchIndex_404()
    {
        var app = edge.App("noindex", null, 0, 1);
        await edge.RouteAsync(app);

        var response = await edge.SendAsync("noindex.test", "/", configure: r => r.Headers.Add("X-Granary-Instance", $"{app.AppId}:7"));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("404 Not Found: noindex has no running instance 7\n", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task TargetInstance_AnotherAppsId_404()
    {
        var (mine, other) = (edge.App("mine", null, 0), edge.App("other", null, 1));
        await edge.RouteAsync(mine, other);

        var response = await edge.SendAsync("mine.test", "/", configure: r => r.Headers.Add("X-Granary-Instance", $"{other.AppId}:0"));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("is not the app at mine.test", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Request_InstanceRefusesConnections_RetriedOnAnotherWithoutAnyError()
    {
        var dead = new RouteBackend(Guid.NewGuid(), 5, "127.0.0.1", FreeTcpPort.Next());
        var app = edge.App("refused", null, 0) with { Backends = [dead, edge.Backends[0].Route()] };
        await edge.RouteAsync(app);

        for (var i = 0; i < 12; i++)
        {
            var response = await edge.SendAsync("refused.test", "/");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("0", EdgeHarness.InstanceIndex(response));
        }
    }

    [Fact]
    public async Task Post_InstanceRefusesConnection_BodyArrivesWholeOnAnother()
    {
        var dead = new RouteBackend(Guid.NewGuid(), 5, "127.0.0.1", FreeTcpPort.Next());
        var app = edge.App("refusedpost", null, 0) with { Backends = [dead, edge.Backends[1].Route()] };
        await edge.RouteAsync(app);
        var payload = string.Concat(Enumerable.Repeat("granary ", 5000));

        for (var i = 0; i < 4; i++)
        {
            var response = await edge.SendAsync("refusedpost.test", "/echo", HttpMethod.Post, content: new StringContent(payload));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal(payload, await response.Content.ReadAsStringAsync());
        }
    }

    [Fact]
    public async Task Request_EveryInstanceRefuses_502NamingTheCause()
    {
        var app = edge.App("alldead") with { Backends = [new RouteBackend(Guid.NewGuid(), 3, "127.0.0.1", FreeTcpPort.Next())] };
        await edge.RouteAsync(app);

        var response = await edge.SendAsync("alldead.test", "/");

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        Assert.Equal("502 Bad Gateway: alldead instance 3 refused the connection\n", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Post_InstanceDropsTheConnectionAfterReceiving_NotReplayed()
    {
        await edge.RouteAsync(edge.App("nopost", null, 0, 1));
        var path = $"/abort-post-{Guid.NewGuid():N}";

        var response = await edge.SendAsync("nopost.test", path, HttpMethod.Post, content: new StringContent("pay once"));

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        Assert.Equal(1, edge.Backends[0].HitsOn(path) + edge.Backends[1].HitsOn(path));
    }

    [Fact]
    public async Task Get_InstanceDropsTheConnection_ReplayedOnAnotherInstance()
    {
        await edge.RouteAsync(edge.App("replay", null, 0, 1));
        var path = $"/abort-if-0-{Guid.NewGuid():N}";

        for (var i = 0; i < 4; i++)
        {
            var response = await edge.SendAsync("replay.test", path);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("1", EdgeHarness.InstanceIndex(response));
        }

        Assert.True(edge.Backends[0].HitsOn(path) >= 1, "instance 0 should have been tried (round robin)");
    }

    [Fact]
    public async Task Get_EveryInstanceDropsTheConnection_EachTriedOnceThen502()
    {
        await edge.RouteAsync(edge.App("alldrop", null, 0, 1));
        var path = $"/abort-get-{Guid.NewGuid():N}";

        var response = await edge.SendAsync("alldrop.test", path);

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        Assert.StartsWith("502 Bad Gateway: alldrop instance ", await response.Content.ReadAsStringAsync());
        Assert.Equal(1, edge.Backends[0].HitsOn(path));
        Assert.Equal(1, edge.Backends[1].HitsOn(path));
    }

    [Fact]
    public async Task PassiveHealth_InstanceThatKeepsFailing_EjectedWhileOthersServe()
    {
        await edge.RouteAsync(edge.App("eject", null, 0, 1));
        var path = $"/abort-if-0-{Guid.NewGuid():N}";

        for (var i = 0; i < 40; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await edge.SendAsync("eject.test", path)).StatusCode);
        }

        // Without ejection round robin would send it 20 of 40; the failure-rate policy stops after a handful.
        Assert.InRange(edge.Backends[0].HitsOn(path), 1, 8);
    }

    [Fact]
    public async Task Response_InstanceTrickles_EachPartReachesTheClientBeforeTheNext()
    {
        await edge.RouteAsync(edge.App("trickle", null, 2));
        edge.Backends[2].TrickleGate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var request = new HttpRequestMessage(HttpMethod.Get, "/trickle");
        request.Headers.Host = "trickle.test";

        using var response = await edge.Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());

        // The instance holds "second" back until the client has "first": buffered in the edge, this would hang.
        Assert.Equal("first", await reader.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(15)));
        edge.Backends[2].TrickleGate.SetResult();
        Assert.Equal("second", await reader.ReadLineAsync());
        Assert.Null(await reader.ReadLineAsync());
    }

    [Fact]
    public async Task Response_Large_ArrivesWhole()
    {
        await edge.RouteAsync(edge.App("big", null, 0));

        var body = await (await edge.SendAsync("big.test", "/big")).Content.ReadAsByteArrayAsync();

        Assert.Equal(256 * 4096, body.Length);
        Assert.All(Enumerable.Range(0, 256), i => Assert.Equal((byte)('a' + (i % 26)), body[(i * 4096) + 4095]));
    }

    /// <summary>
    /// Browsers keep connections alive: a Content-Length body over 64 KB used to lose its tail in the edge (left
    /// unflushed in Kestrel's pipe), so the client waited for it until the connection timed out.
    /// </summary>
    [Theory]
    [InlineData(65_537)]
    [InlineData(70_000)]
    [InlineData(300_000)]
    [InlineData(1_000_000)]
    public async Task Response_ContentLengthOver64KB_WholeEveryTimeOnOneConnection(int size)
    {
        await edge.RouteAsync(edge.App($"sized{size}", null, 1));
        using var client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 1 })
        {
            BaseAddress = edge.Client.BaseAddress,
            Timeout = TimeSpan.FromSeconds(20),
        };

        for (var i = 0; i < 3; i++)
        {
            var request = new HttpRequestMessage(HttpMethod.Get, $"/sized/{size}");
            request.Headers.Host = $"sized{size}.test";
            using var response = await client.SendAsync(request);

            Assert.Equal(size, response.Content.Headers.ContentLength);
            Assert.Equal(size, (await response.Content.ReadAsByteArrayAsync()).Length);
        }
    }

    [Fact]
    public async Task StickySessions_AffinityCookie_PinsTheInstance()
    {
        await edge.RouteAsync(edge.App("sticky", new RoutePolicy(LoadBalancing.RoundRobin, true), 0, 1, 2));

        var first = await edge.SendAsync("sticky.test", "/");
        var cookie = first.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("granary_affinity=", StringComparison.Ordinal));
        var pinned = EdgeHarness.InstanceIndex(first);

        for (var i = 0; i < 9; i++)
        {
            var response = await edge.SendAsync("sticky.test", "/", configure: r => r.Headers.Add("Cookie", cookie.Split(';')[0]));
            Assert.Equal(pinned, EdgeHarness.InstanceIndex(response));
        }
    }

    [Fact]
    public async Task LeastRequests_App_ServedByItsInstances()
    {
        await edge.RouteAsync(edge.App("least", new RoutePolicy(LoadBalancing.LeastRequests, false), 1, 2));

        var indexes = new HashSet<string>();
        for (var i = 0; i < 6; i++)
        {
            indexes.Add(EdgeHarness.InstanceIndex(await edge.SendAsync("least.test", "/"))!);
        }

        Assert.Subset(new HashSet<string> { "1", "2" }, indexes);
    }

    [Fact]
    public async Task Websocket_RouteTableChangesWhileConnected_ConnectionKeepsEchoing()
    {
        var app = edge.App("ws", null, 0);
        await edge.RouteAsync(app);
        using var socket = new ClientWebSocket();
        socket.Options.SetRequestHeader("Host", "ws.test");
        await socket.ConnectAsync(new Uri($"ws://127.0.0.1:{edge.Port}/ws"), CancellationToken.None);
        await AssertEchoAsync(socket, "before");

        for (var round = 1; round <= 10; round++)
        {
            // Another app scales, this app gains a route and an instance: new configs, new clusters.
            var scaled = edge.App("neighbour", null, [.. Enumerable.Range(0, 1 + (round % 3))]) with { AppId = Guid.Parse("11111111-1111-1111-1111-111111111111") };
            var grown = app with
            {
                Hosts = [.. app.Hosts, $"alias{round}.test"],
                Backends = round % 2 == 0 ? app.Backends : [.. app.Backends, edge.Backends[2].Route()],
            };
            await edge.RouteAsync(grown, scaled);
            await AssertEchoAsync(socket, $"round {round}");
        }

        await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", CancellationToken.None);
    }

    [Fact]
    public async Task Metrics_Prometheus_CountsRequestsPerApp()
    {
        await edge.RouteAsync(edge.App("metered", null, 0));
        for (var i = 0; i < 3; i++)
        {
            await edge.SendAsync("metered.test", "/");
        }

        var scrape = await edge.Client.GetStringAsync("/_granary/metrics");

        Assert.Matches("granary_edge_requests_total\\{[^}]*app=\"metered\"[^}]*status_class=\"2xx\"[^}]*\\} 3", scrape);
        Assert.Matches("granary_edge_request_duration_seconds_count\\{[^}]*app=\"metered\"[^}]*\\} 3", scrape);
    }

    [Fact]
    public async Task Health_OnAnAppsHostName_AnsweredByTheEdgeNotTheApp()
    {
        var app = edge.App("healthy", null, 0);
        await edge.RouteAsync(app);
        var path = "/_granary/health";

        var response = await edge.SendAsync("healthy.test", path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(0, edge.Backends[0].HitsOn(path));
    }

    private static async Task AssertEchoAsync(ClientWebSocket socket, string message)
    {
        await socket.SendAsync(Encoding.UTF8.GetBytes(message), WebSocketMessageType.Text, true, CancellationToken.None);
        var buffer = new byte[1024];
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var received = await socket.ReceiveAsync(buffer, timeout.Token);
        Assert.Equal(message, Encoding.UTF8.GetString(buffer, 0, received.Count));
    }
}
