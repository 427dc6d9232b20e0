using System.Diagnostics;
using System.Net;
using System.Net.Http;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Granary.Tests.EndToEnd;
using Granary.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Granary.Tests.Edge;

/// <summary>
/// The issue's "done when", through the real edge process that <c>./granary micro up</c> started, to real
/// instances pushed with the CLI. Requests go to 127.0.0.1:EDGEPORT with <c>Host: NAME.localhost</c>.
/// </summary>
[Collection(MicroCloudCollection.Name)]
public sealed class EdgeEndToEndTests(MicroCloudFixture cloud, ITestOutputHelper output)
{
    private static readonly HttpClient Http = new(new SocketsHttpHandler { UseCookies = false, AllowAutoRedirect = false })
    {
        Timeout = TimeSpan.FromSeconds(15),
    };

    [Fact]
    public async Task Push_ThreeInstances_300RequestsReachEachInstance100PlusMinus15Times()
    {
        var name = await PushAsync("spread", RepoPaths.Sample("node-hello"), "-i", "3");
        await UntilServedByAsync(name, 3);

        var counts = new Dictionary<string, int>();
        for (var i = 0; i < 300; i++)
        {
            var response = await GetAsync(name);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var index = Index(response)!;
            Assert.Contains($"instance {index}", await response.Content.ReadAsStringAsync());
            counts[index] = counts.GetValueOrDefault(index) + 1;
        }

        output.WriteLine(string.Join(", ", counts.OrderBy(c => c.Key).Select(c => $"instance {c.Key}: {c.Value}")));
        Assert.Equal(3, counts.Count);
        Assert.All(counts.Values, n => Assert.InRange(n, 85, 115));
    }

    [Fact]
    public async Task UnknownHost_404WithTextNamingIt()
    {
        var response = await GetAsync($"nobody-{Guid.NewGuid():N}"[..20]);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("text/plain", response.Content.Headers.ContentType!.MediaType);
        Assert.StartsWith("404 Not Found: no app is mapped to nobody-", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task StoppedApp_503NamingTheApp()
    {
        var name = await PushAsync("stopme", RepoPaths.Sample("node-hello"));
        await UntilServedByAsync(name, 1);

        Assert.Equal(0, (await cloud.Cli.RunAsync("stop", name)).ExitCode);

        var response = await UntilAsync(() => GetAsync(name), r => r.StatusCode == HttpStatusCode.ServiceUnavailable, "a 503 after stop");
        Assert.Equal($"503 Service Unavailable: {name} has no running instances\n", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task SpoofedForwardedFor_AppSeesThePeerNotTheClaim()
    {
        using var echo = new Granary.Tests.Cli.TempDir();
        var folder = echo.Path;
        await File.WriteAllTextAsync(Path.Combine(folder, "echo.js"), """
            require("node:http").createServer((req, res) => {
              res.writeHead(200, { "content-type": "application/json" });
              res.end(JSON.stringify(req.headers));
            }).listen(Number(process.env.PORT), "0.0.0.0");
            """);
        var name = await PushAsync("echo", folder, "--command", "node echo.js");
        await UntilServedByAsync(name, 1);

        var response = await GetAsync(name, configure: r =>
        {
            r.Headers.Add("X-Forwarded-For", "6.6.6.6");
            r.Headers.Add("X-Forwarded-Proto", "https");
            r.Headers.Add("X-Request-Id", "e2e-request-1");
        });
        var seen = JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();

        Assert.Equal("127.0.0.1", (string?)seen["x-forwarded-for"]);
        Assert.Equal("http", (string?)seen["x-forwarded-proto"]);
        Assert.Equal($"{name}.localhost", (string?)seen["host"]);
        Assert.Equal("e2e-request-1", (string?)seen["x-request-id"]);
        Assert.DoesNotContain("6.6.6.6", seen.ToJsonString());
        Assert.Equal("e2e-request-1", response.Headers.GetValues("X-Request-Id").Single());
    }

    [Fact]
    public async Task TargetInstance_HeaderReachesThatInstanceOr400Or404()
    {
        var name = await PushAsync("target", RepoPaths.Sample("node-hello"), "-i", "2");
        await UntilServedByAsync(name, 2);
        var appId = (string)JsonNode.Parse((await cloud.Cli.RunAsync("app", name, "--json")).Out)!["id"]!;

        for (var i = 0; i < 5; i++)
        {
            var response = await GetAsync(name, configure: r => r.Headers.Add("X-Granary-Instance", $"{appId}:1"));
            Assert.Equal("1", Index(response));
        }

        var malformed = await GetAsync(name, configure: r => r.Headers.Add("X-Granary-Instance", "one"));
        Assert.Equal(HttpStatusCode.BadRequest, malformed.StatusCode);
        Assert.Contains("APP_ID:INDEX", await malformed.Content.ReadAsStringAsync());
        var missing = await GetAsync(name, configure: r => r.Headers.Add("X-Granary-Instance", $"{appId}:9"));
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }

    /// <summary>
    /// kill -9 of one instance's processes while a client loops GETs: the edge retries the refused connections
    /// on the other instances and the route table drops the dead one, so the loop sees at most 3 errors.
    /// </summary>
    [Fact]
    public async Task KillOneInstance_LoopOfGetsSeesAtMostAFew5xx()
    {
        var name = await PushAsync("killone", RepoPaths.Sample("node-hello"), "-i", "3");
        await UntilServedByAsync(name, 3);
        var app = JsonNode.Parse((await cloud.Cli.RunAsync("app", name, "--json")).Out)!;
        var victim = (string)app["instanceDetails"]!.AsArray().Single(i => (int)i!["index"]! == 1)!["instanceId"]!;
        var pids = ProcessTable.WithEnv("GRANARY_INSTANCE_ID", victim);
        Assert.NotEmpty(pids);

        var (total, errors, killedAt) = (0, new List<string>(), TimeSpan.Zero);
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(5))
        {
            if (killedAt == TimeSpan.Zero && clock.Elapsed > TimeSpan.FromSeconds(1))
            {
                foreach (var pid in pids)
                {
                    Kill(pid);
                }

                killedAt = clock.Elapsed;
            }

            var response = await GetAsync(name);
            total++;
            if ((int)response.StatusCode >= 500)
            {
                errors.Add($"{clock.Elapsed.TotalMilliseconds - killedAt.TotalMilliseconds:0} ms after the kill: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
            }
        }

        output.WriteLine($"{total} requests, {errors.Count} 5xx; kill at {killedAt.TotalMilliseconds:0} ms");
        errors.ForEach(output.WriteLine);
        Assert.True(total > 100, $"only {total} requests in 5 s");
        Assert.True(errors.Count <= 3, $"{errors.Count} errors in {total} requests:\n{string.Join('\n', errors)}");
    }

    [Fact]
    public async Task Websocket_DotnetHello_EchoesWhileRouteTableChanges()
    {
        var name = await PushAsync("wsecho", RepoPaths.Sample("dotnet-hello"));
        var neighbour = await PushAsync("wsneighbour", RepoPaths.Sample("node-hello"));
        await UntilServedByAsync(name, 1);
        var port = await EdgePortAsync();
        using var socket = new ClientWebSocket();
        socket.Options.SetRequestHeader("Host", $"{name}.localhost");
        await socket.ConnectAsync(new Uri($"ws://127.0.0.1:{port}/ws"), CancellationToken.None);
        await EchoAsync(socket, "hello");

        Assert.Equal(0, (await cloud.Cli.RunAsync("scale", neighbour, "-i", "2")).ExitCode);
        await UntilServedByAsync(neighbour, 2);
        await EchoAsync(socket, "after a scale of another app");

        var alias = $"alias-{Guid.NewGuid():N}"[..16] + ".localhost";
        var map = await cloud.Cli.RunAsync("map-route", name, alias);
        Assert.True(map.ExitCode == 0, map.All);
        await UntilAsync(() => GetAsync(alias[..^".localhost".Length]), r => r.StatusCode == HttpStatusCode.OK, "the new route");
        await EchoAsync(socket, "after a new route");

        await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", CancellationToken.None);
    }

    [Fact]
    public async Task Health_ConnectedEdge_Ok()
    {
        var port = await EdgePortAsync();

        var response = await UntilAsync(() => Http.GetAsync($"http://127.0.0.1:{port}/_granary/health"), r => r.StatusCode == HttpStatusCode.OK, "edge health");

        Assert.Equal("ok\n", await response.Content.ReadAsStringAsync());
    }

    private async Task<string> PushAsync(string prefix, string path, params string[] options)
    {
        var name = $"{prefix}-{Guid.NewGuid().ToString("N")[..6]}";
        var push = await cloud.Cli.RunAsync(["push", path, "--name", name, .. options]);
        Assert.True(push.ExitCode == 0, push.All + cloud.SiloLog());
        return name;
    }

    private int? _edgePort;

    private async Task<int> EdgePortAsync()
    {
        if (_edgePort is null)
        {
            var info = JsonNode.Parse((await cloud.Cli.RunAsync("info", "--json")).Out)!;
            _edgePort = new Uri((string)info["edge"]!).Port;
        }

        return _edgePort.Value;
    }

    private async Task<HttpResponseMessage> GetAsync(string app, string path = "/", Action<HttpRequestMessage>? configure = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, $"http://127.0.0.1:{await EdgePortAsync()}{path}");
        request.Headers.Host = $"{app}.localhost";
        configure?.Invoke(request);
        return await Http.SendAsync(request);
    }

    /// <summary>Until requests through the edge have been served by <paramref name="instances"/> distinct instances.</summary>
    private async Task UntilServedByAsync(string app, int instances)
    {
        var seen = new HashSet<string>();
        await UntilAsync(() => GetAsync(app), r =>
        {
            if (r.StatusCode == HttpStatusCode.OK && Index(r) is { } index)
            {
                seen.Add(index);
            }

            return seen.Count >= instances;
        }, $"{instances} instances of {app} through the edge");
    }

    private async Task<HttpResponseMessage> UntilAsync(Func<Task<HttpResponseMessage>> send, Func<HttpResponseMessage, bool> done, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            var response = await send();
            if (done(response))
            {
                return response;
            }

            Assert.True(DateTime.UtcNow < deadline,
                $"never got {what}; last answer {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}\n{EdgeLog()}");
            await Task.Delay(100);
        }
    }

    private string EdgeLog()
    {
        var log = Path.Combine(cloud.Cli.Home, "micro", "edge.log");
        return File.Exists(log) ? string.Join('\n', File.ReadLines(log).TakeLast(30)) : "(no edge log)";
    }

    private static string? Index(HttpResponseMessage response) =>
        response.Headers.TryGetValues("X-Granary-Instance-Index", out var values) ? values.Single() : null;

    private static void Kill(int pid)
    {
        try
        {
            Process.GetProcessById(pid).Kill();
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException)
        {
            // Already gone with its group.
        }
    }

    private static async Task EchoAsync(ClientWebSocket socket, string message)
    {
        await socket.SendAsync(Encoding.UTF8.GetBytes(message), WebSocketMessageType.Text, true, CancellationToken.None);
        var buffer = new byte[4096];
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var received = await socket.ReceiveAsync(buffer, timeout.Token);
        Assert.Equal(message, Encoding.UTF8.GetString(buffer, 0, received.Count));
    }
}
