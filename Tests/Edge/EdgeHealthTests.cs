using System.Net;

namespace Granary.Tests.Edge;

/// <summary>The edge's own health endpoint through a real edge, from first start to synced.</summary>
public sealed class EdgeHealthTests
{
    [Fact]
    public async Task Health_BeforeAnyTable503_ThenDegradedWhileUnsynced_ThenOk()
    {
        await using var edge = await EdgeHarness.StartAsync();

        var cold = await edge.Client.GetAsync("/_granary/health");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, cold.StatusCode);
        Assert.StartsWith("no route table loaded yet", await cold.Content.ReadAsStringAsync());

        await edge.RouteAsync(edge.App("a", null, 0));
        var degraded = await edge.Client.GetAsync("/_granary/health");
        Assert.Equal(HttpStatusCode.OK, degraded.StatusCode);
        Assert.Equal("degraded", degraded.Headers.GetValues("X-Granary-Edge").Single());
        Assert.StartsWith("degraded: ", await degraded.Content.ReadAsStringAsync());

        edge.Status.Synced();
        var ok = await edge.Client.GetAsync("/_granary/health");
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        Assert.Equal("ok\n", await ok.Content.ReadAsStringAsync());
        Assert.False(ok.Headers.Contains("X-Granary-Edge"));
    }

    [Fact]
    public async Task Request_BeforeAnyTable_404NotACrash()
    {
        await using var edge = await EdgeHarness.StartAsync();

        var response = await edge.SendAsync("early.test", "/");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task TrustedBalancer_ForwardedForAppendedAndProtoKept()
    {
        await using var edge = await EdgeHarness.StartAsync("--Granary:Edge:TrustedProxies=127.0.0.1");
        await edge.RouteAsync(edge.App("behindlb", null, 0));

        var seen = await edge.HeadersSeenByAppAsync("behindlb.test", r =>
        {
            r.Headers.Add("X-Forwarded-For", "198.51.100.7");
            r.Headers.Add("X-Forwarded-Proto", "https");
            r.Headers.Add("X-Forwarded-Host", "shop.example.com");
        });

        Assert.Equal("198.51.100.7, 127.0.0.1", seen["x-forwarded-for"]);
        Assert.Equal("https", seen["x-forwarded-proto"]);
        Assert.Equal("shop.example.com", seen["x-forwarded-host"]);
    }
}
