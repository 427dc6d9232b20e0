using System.Diagnostics;
using Granary.Bench.RouteScale;
using Granary.Edge.Hosting;
using Granary.Edge.Routing;
using Granary.Edge.Sync;
using Granary.Routes;
using RouteTable = Granary.Edge.Routing.RouteTable;

// Route-table scale of the edge: a real edge (Kestrel, sync loop, router, forwarder) in front of a real loopback
// backend, fed a generated table of APPS apps (one host each, two instances each) by an in-memory control plane.
// Prints: time from the edge's start to the first 200 through it for the last app of the table; the mapping of
// the whole table alone; and one-app deltas at that size, through the sync loop (notification → pull → apply →
// first 200 on the app's new host) and the mapping alone. Asserts nothing.
if (args is ["serve", var serveApps, var servePort, var edgePort, ..])
{
    // Profiling aid: an edge on EDGE_PORT whose table holds SERVE_APPS apps, app0.bench.test → the instance on
    // SERVE_PORT; runs until killed. Pin it, point wrk at it, attach perf.
    var served = Enumerable.Range(0, int.Parse(serveApps, System.Globalization.CultureInfo.InvariantCulture))
        .Select(i => new AppRoutes(Guid.NewGuid(), $"app{i}", [$"app{i}.bench.test"],
            [new RouteBackend(Guid.NewGuid(), 0, "127.0.0.1", int.Parse(servePort, System.Globalization.CultureInfo.InvariantCulture))], RoutePolicy.Default));
    var servingPlane = new GeneratedControlPlane();
    servingPlane.Load(served);
    var serving = EdgeApp.Create(["--urls", $"http://127.0.0.1:{edgePort}", .. args[4..]],
        builder => builder.Services.AddSingleton<IControlPlane>(servingPlane));
    await serving.RunAsync();
    return;
}

var apps = args.Length > 0 ? int.Parse(args[0], System.Globalization.CultureInfo.InvariantCulture) : 100_000;
var rounds = args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 20;

var backend = WebApplication.CreateSlimBuilder();
backend.WebHost.UseUrls("http://127.0.0.1:0");
backend.Logging.ClearProviders();
var backendApp = backend.Build();
backendApp.Run(context => context.Response.WriteAsync("ok\n"));
await backendApp.StartAsync();
var backendPort = new Uri(backendApp.Urls.First()).Port;

AppRoutes Generate(int i) => new(Guid.NewGuid(), $"app{i}", [$"app{i}.bench.test"],
    [new RouteBackend(Guid.NewGuid(), 0, "127.0.0.1", backendPort), new RouteBackend(Guid.NewGuid(), 1, "127.0.0.1", backendPort)],
    RoutePolicy.Default);

var table = Enumerable.Range(0, apps).Select(Generate).ToArray();
var plane = new GeneratedControlPlane();
plane.Load(table);
using var client = new HttpClient();

var started = Stopwatch.StartNew();
var edge = EdgeApp.Create(["--urls", "http://127.0.0.1:0", "--Granary:Edge:AccessLog=false", "--Logging:LogLevel:Default=Warning"],
    builder => builder.Services.AddSingleton<IControlPlane>(plane));
await edge.StartAsync();
var edgeUrl = edge.Urls.First();
var last = table[^1];
await UntilOkAsync($"{last.AppName}.bench.test");
var firstRequest = started.Elapsed;
Console.WriteLine($"{apps} routes: edge start -> first 200 on the table's last app {firstRequest.TotalMilliseconds:0} ms");

var whole = new List<double>();
var tables = new List<double>();
for (var i = 0; i < 5; i++)
{
    var clock = Stopwatch.StartNew();
    var snapshot = RouteTable.FromSnapshot(new RouteTableChanges(i + 1, true, [.. table], []));
    tables.Add(clock.Elapsed.TotalMilliseconds);
    clock.Restart();
    EdgeRouteMapper.Build(snapshot);
    whole.Add(clock.Elapsed.TotalMilliseconds);
}

var freeze = Stopwatch.StartNew();
HostMap.Create(table.Select(a => new KeyValuePair<string, AppRoute>(a.Hosts[0], new AppRoute(a.AppId, a.AppName, a.Policy, [], []))));
Console.WriteLine($"{apps} routes: building the host map alone {freeze.Elapsed.TotalMilliseconds:0.0} ms");
Console.WriteLine($"{apps} routes: a whole snapshot, 5 times: to the edge's table median {Median(tables):0.0} ms, then mapped to routes median {Median(whole):0.0} ms (max {whole.Max():0.0} ms)");

var router = edge.Services.GetRequiredService<EdgeRouter>();
var throughSync = new List<double>();
for (var round = 0; round < rounds; round++)
{
    var app = table[Random.Shared.Next(table.Length)];
    var host = $"moved{round}.bench.test";
    var clock = Stopwatch.StartNew();
    plane.Change(app with { Hosts = [.. app.Hosts, host] });
    await UntilOkAsync(host);
    throughSync.Add(clock.Elapsed.TotalMilliseconds);
}

var alone = new List<double>();
for (var round = 0; round < rounds; round++)
{
    var app = table[Random.Shared.Next(table.Length)];
    var delta = new RouteTableChanges(router.Table.Version + 1, false, [app with { Backends = [.. app.Backends.Take(1)] }], []);
    var clock = Stopwatch.StartNew();
    router.Update(router.Table.Apply(delta).Table);
    alone.Add(clock.Elapsed.TotalMilliseconds);
}

Console.WriteLine($"{apps} routes: one-app delta, notification -> first 200 on its new host ({rounds} times, includes the 5 ms coalescing window): " +
    $"median {Median(throughSync):0.0} ms, max {throughSync.Max():0.0} ms");
Console.WriteLine($"{apps} routes: one-app delta applied by the router alone (table delta + route mapping + swap): median {Median(alone):0.000} ms, max {alone.Max():0.000} ms");

await edge.StopAsync();
await backendApp.StopAsync();
return;

async Task UntilOkAsync(string host)
{
    var deadline = Stopwatch.StartNew();
    while (true)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, edgeUrl);
        request.Headers.Host = host;
        try
        {
            using var response = await client.SendAsync(request);
            if (response.IsSuccessStatusCode)
            {
                return;
            }
        }
        catch (HttpRequestException)
        {
        }

        if (deadline.Elapsed > TimeSpan.FromMinutes(5))
        {
            throw new TimeoutException($"{host} never answered 200 through the edge");
        }

        await Task.Delay(1);
    }
}

static double Median(List<double> values)
{
    var sorted = values.Order().ToList();
    return sorted[sorted.Count / 2];
}
