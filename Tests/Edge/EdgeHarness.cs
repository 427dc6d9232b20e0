using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Net.WebSockets;
using System.Text.Json;
using Granary.Config;
using Granary.Edge.Hosting;
using Granary.Edge.Routing;
using Granary.Edge.Sync;
using Granary.Routes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using RouteTable = Granary.Edge.Routing.RouteTable;

namespace Granary.Tests.Edge;

/// <summary>
/// An instance stand-in on a loopback port: answers "instance K", echoes request headers at /headers and
/// bodies at /echo, echoes websocket messages at /ws, and drops the connection on /abort… (on every
/// backend) or /abort-if-0… (only on index 0), serves N bytes with a Content-Length at /sized/N,
/// and answers the length of the body it received at /length. Counts requests per path.
/// </summary>
internal sealed class TestBackend : IAsyncDisposable
{
    private readonly WebApplication _app;

    private TestBackend(WebApplication app, int index)
    {
        _app = app;
        Index = index;
    }

    public int Index { get; }

    public int Port { get; private set; }

    public ConcurrentDictionary<string, int> Hits { get; } = new();

    public int HitsOn(string path) => Hits.GetValueOrDefault(path);

    /// <summary>/trickle writes "first", flushes, and writes "second" only once this is released.</summary>
    public TaskCompletionSource TrickleGate { get; set; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public static async Task<TestBackend> StartAsync(int index)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        // Bodies of any size, so the edge's own limit is what a test sees.
        builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = null);
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var backend = new TestBackend(app, index);
        app.UseWebSockets();
        app.Run(backend.HandleAsync);
        await app.StartAsync();
        backend.Port = new Uri(app.Urls.First()).Port;
        return backend;
    }

    public RouteBackend Route() => new(Guid.NewGuid(), Index, "127.0.0.1", Port);

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    private async Task HandleAsync(HttpContext context)
    {
        var path = context.Request.Path.Value ?? "/";
        Hits.AddOrUpdate(path, 1, (_, n) => n + 1);
        if (path == "/ws" && context.WebSockets.IsWebSocketRequest)
        {
            await EchoAsync(await context.WebSockets.AcceptWebSocketAsync());
            return;
        }

        using var body = new MemoryStream();
        await context.Request.Body.CopyToAsync(body);
        if (path.StartsWith("/abort-if-0", StringComparison.Ordinal) ? Index == 0 : path.StartsWith("/abort", StringComparison.Ordinal))
        {
            context.Abort();
            return;
        }

        if (path == "/headers")
        {
            var headers = context.Request.Headers.ToDictionary(h => h.Key.ToLowerInvariant(), h => h.Value.ToString());
            await context.Response.WriteAsJsonAsync(headers);
            return;
        }

        if (path == "/trickle")
        {
            await context.Response.WriteAsync("first\n");
            await context.Response.Body.FlushAsync();
            await TrickleGate.Task.WaitAsync(TimeSpan.FromSeconds(30));
            await context.Response.WriteAsync("second\n");
            return;
        }

        if (path == "/big")
        {
            // 1 MiB in 4 KiB writes: many reads and writes on the way through the edge.
            var block = new byte[4096];
            for (var i = 0; i < 256; i++)
            {
                block.AsSpan().Fill((byte)('a' + (i % 26)));
                await context.Response.Body.WriteAsync(block);
            }

            return;
        }

        if (path.StartsWith("/sized/", StringComparison.Ordinal))
        {
            // N bytes with a Content-Length, written in 8 KiB pieces as a file server would.
            var size = int.Parse(path["/sized/".Length..], System.Globalization.CultureInfo.InvariantCulture);
            context.Response.ContentLength = size;
            var block = new byte[8192];
            for (var written = 0; written < size; written += block.Length)
            {
                await context.Response.Body.WriteAsync(block.AsMemory(0, Math.Min(block.Length, size - written)));
            }

            return;
        }

        if (path == "/length")
        {
            await context.Response.WriteAsync(body.Length.ToString(System.Globalization.CultureInfo.InvariantCulture));
            return;
        }

        if (path == "/echo")
        {
            await context.Response.Body.WriteAsync(body.ToArray());
            return;
        }

        context.Response.ContentType = "text/plain";
        await context.Response.WriteAsync($"instance {Index}\n");
    }

    private static async Task EchoAsync(WebSocket socket)
    {
        var buffer = new byte[4096];
        while (true)
        {
            var received = await socket.ReceiveAsync(buffer, CancellationToken.None);
            if (received.MessageType == WebSocketMessageType.Close)
            {
                await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "bye", CancellationToken.None);
                return;
            }

            await socket.SendAsync(buffer.AsMemory(0, received.Count), received.MessageType, received.EndOfMessage, CancellationToken.None);
        }
    }
}

/// <summary>
/// A real edge (Kestrel, YARP, every middleware) on a loopback port, in this process, in front of three
/// <see cref="TestBackend"/>s. Its control plane never answers: tests feed the route table to the provider.
/// </summary>
public sealed class EdgeHarness : IAsyncLifetime, IAsyncDisposable
{
    private readonly string[] _settings;
    private readonly DirectoryInfo _accessLogFolder = Directory.CreateTempSubdirectory("granary-edge-");
    private long _version;

    public EdgeHarness()
        : this([])
    {
    }

    private EdgeHarness(string[] settings) => _settings = settings;

    internal TestBackend[] Backends { get; private set; } = [];

    internal WebApplication Edge { get; private set; } = null!;

    internal EdgeRouter Provider => Edge.Services.GetRequiredService<EdgeRouter>();

    internal EdgeStatus Status => Edge.Services.GetRequiredService<EdgeStatus>();

    public int Port { get; private set; }

    /// <summary>The cluster config as this edge sees it: what <c>granary config set</c> pushes to every edge.</summary>
    internal ClusterConfigurationSource ClusterConfig { get; private set; } = null!;

    /// <summary>Makes these settings the whole cluster config, as a push from the ClusterConfigGrain would.</summary>
    internal void SetClusterConfig(params (string Key, string Value)[] settings) =>
        ClusterConfig.Apply(new ClusterConfigSnapshot(ClusterConfig.Version + 1,
            settings.ToImmutableSortedDictionary(s => s.Key, s => s.Value, StringComparer.OrdinalIgnoreCase)));

    public HttpClient Client { get; private set; } = null!;

    /// <summary>A harness of a test's own (with settings), disposed by the test.</summary>
    public static async Task<EdgeHarness> StartAsync(params string[] settings)
    {
        var harness = new EdgeHarness(settings);
        await harness.InitializeAsync();
        return harness;
    }

    async ValueTask IAsyncDisposable.DisposeAsync() => await DisposeAsync();

    public async Task InitializeAsync()
    {
        Backends = await Task.WhenAll(Enumerable.Range(0, 3).Select(TestBackend.StartAsync));
        // The access log goes to a file of the harness's own, not into the test runner's stdout.
        var accessLog = Path.Combine(_accessLogFolder.FullName, "access.log");
        Edge = EdgeApp.Create(["--urls", "http://127.0.0.1:0", $"--Granary:Edge:AccessLogPath={accessLog}", .. _settings], builder =>
        {
            ClusterConfig = builder.Configuration.Sources.OfType<ClusterConfigurationSource>().Single();
            builder.Services.AddSingleton<IControlPlane, ParkedControlPlane>();
            builder.Logging.SetMinimumLevel(LogLevel.Warning);
        });
        await Edge.StartAsync();
        Port = new Uri(Edge.Urls.First()).Port;
        Client = new HttpClient(new SocketsHttpHandler { UseCookies = false, AllowAutoRedirect = false })
        {
            BaseAddress = new Uri($"http://127.0.0.1:{Port}"),
            Timeout = TimeSpan.FromSeconds(20),
        };
    }

    public async Task DisposeAsync()
    {
        Client.Dispose();
        await Edge.StopAsync();
        await Edge.DisposeAsync();
        foreach (var backend in Backends)
        {
            await backend.DisposeAsync();
        }

        _accessLogFolder.Delete(recursive: true);
    }

    /// <summary>Makes these apps the whole route table (the next request is routed by it: the swap is atomic).</summary>
    internal Task RouteAsync(params AppRoutes[] apps)
    {
        Provider.Update(RouteTable.FromSnapshot(new RouteTableChanges(Interlocked.Increment(ref _version), true, [.. apps], [])));
        return Task.CompletedTask;
    }

    /// <summary>An app served by the given test backends (by index), at NAME.test.</summary>
    internal AppRoutes App(string name, RoutePolicy? policy = null, params int[] backends) =>
        new(Guid.NewGuid(), name, [$"{name}.test"], [.. backends.Select(i => Backends[i].Route())], policy ?? RoutePolicy.Default);

    public async Task<HttpResponseMessage> SendAsync(string host, string path, HttpMethod? method = null, Action<HttpRequestMessage>? configure = null, HttpContent? content = null)
    {
        var request = new HttpRequestMessage(method ?? HttpMethod.Get, path) { Content = content };
        request.Headers.Host = host;
        configure?.Invoke(request);
        return await Client.SendAsync(request);
    }

    public async Task<Dictionary<string, string>> HeadersSeenByAppAsync(string host, Action<HttpRequestMessage>? configure = null)
    {
        var response = await SendAsync(host, "/headers", configure: configure);
        Assert.Equal(200, (int)response.StatusCode);
        return JsonSerializer.Deserialize<Dictionary<string, string>>(await response.Content.ReadAsStringAsync())!;
    }

    public static string? InstanceIndex(HttpResponseMessage response) =>
        response.Headers.TryGetValues("X-Granary-Instance-Index", out var values) ? values.Single() : null;
}
