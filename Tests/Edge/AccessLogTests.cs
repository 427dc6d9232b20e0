using System.Net;
using System.Text;
using Granary.Edge.Traffic;

namespace Granary.Tests.Edge;

public sealed class AccessLogTests
{
    private static string Format(AccessLogEntry entry)
    {
        var buffer = new byte[4096];
        Assert.True(AccessLog.TryFormat(entry, buffer, out var written));
        return Encoding.UTF8.GetString(buffer, 0, written);
    }

    [Fact]
    public void TryFormat_ProxiedRequest_OneLineWithEveryField()
    {
        var line = Format(new AccessLogEntry(new DateTime(2026, 1, 2, 3, 4, 5, 678, DateTimeKind.Utc), "shop.localhost:7780", "GET",
            "/cart/items?token=secret", 200, 1.23456, "2", "req-1", "shop"));

        Assert.Equal("2026-01-02T03:04:05.678Z shop.localhost:7780 \"GET /cart/items\" 200 1.235ms instance=2 app=shop request_id=req-1\n", line);
    }

    [Fact]
    public void TryFormat_EdgeAnsweredItself_DashesForInstanceAndApp()
    {
        var line = Format(new AccessLogEntry(DateTime.UnixEpoch, "nobody.localhost", "POST", "/", 404, 0.2, null, "r", null));

        Assert.Contains("\"POST /\" 404 0.200ms instance=- app=- request_id=r\n", line);
    }

    [Fact]
    public void TryFormat_TooSmallBuffer_FalseNotThrow()
    {
        var entry = new AccessLogEntry(DateTime.UnixEpoch, new string('h', 300), "GET", "/", 200, 1, "0", "r", "a");

        Assert.False(AccessLog.TryFormat(entry, new byte[64], out _));
    }

    [Fact]
    public async Task Request_ThroughTheEdge_LineWithItsRequestIdWritten()
    {
        using var folder = new Granary.Tests.Cli.TempDir();
        var path = Path.Combine(folder.Path, "access.log");
        await using var edge = await EdgeHarness.StartAsync($"--Granary:Edge:AccessLogPath={path}");
        var app = edge.App("logged", null, 1);
        await edge.RouteAsync(app);

        var response = await edge.SendAsync("logged.test", "/visible/path?hidden=1", configure: r => r.Headers.Add("X-Request-Id", "access-log-test-1"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        var deadline = DateTime.UtcNow.AddSeconds(10);
        string? line;
        while ((line = File.Exists(path) ? File.ReadLines(path).FirstOrDefault(l => l.Contains("access-log-test-1")) : null) is null)
        {
            Assert.True(DateTime.UtcNow < deadline, "no access log line for the request");
            await Task.Delay(50);
        }

        Assert.Matches("^\\S+Z logged\\.test \"GET /visible/path\" 200 [0-9.]+ms instance=1 app=logged request_id=access-log-test-1$", line);
    }
}
