using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Granary;
using Granary.Migrations;
using Granary.Routes;
using Npgsql;
using Orleans.Core.Internal;
using Orleans.Storage;

// Route-table changes through the real RouteTableGrain on a real silo, at each table size: one app's backends
// change per call (what an instance reaching RUNNING does), timed from the caller, p50/p99/max. The table is
// filled by writing the pre-sharding single record straight to storage, which both the old grain (it reads
// it) and the sharded one (it moves it into shards on activation) load, so the same program measures either.
// Usage: SIZES (1000,100000) CHANGES (100) STORAGE (postgres|memory); postgres needs GRANARY_BENCH_DATABASE.
// Asserts nothing.
var sizes = (args.Length > 0 ? args[0] : "1000,100000").Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToArray();
var changes = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 100;
var postgres = (args.Length > 2 ? args[2] : "postgres") == "postgres";
var database = Environment.GetEnvironmentVariable("GRANARY_BENCH_DATABASE") ?? "";
if (postgres)
{
    if (database.Length == 0)
    {
        Console.Error.WriteLine("GRANARY_BENCH_DATABASE is not set (bench/edge/route-writes.sh starts a PostgreSQL and sets it)");
        return 2;
    }

    await SchemaMigrator.MigrateAsync(database, CancellationToken.None);
}

var builder = Host.CreateApplicationBuilder();
builder.Logging.SetMinimumLevel(LogLevel.Warning);
builder.UseOrleans(silo =>
{
    silo.UseLocalhostClustering(FreePort(), FreePort());
    silo.UseGranaryStateSerializer();
    if (postgres)
    {
        silo.AddAdoNetGrainStorage(GrainStorage.Name, o =>
        {
            o.Invariant = "Npgsql";
            o.ConnectionString = database;
        });
    }
    else
    {
        silo.AddMemoryGrainStorage(GrainStorage.Name);
    }

    silo.Services.AddSingleton(TimeProvider.System);
});
using var host = builder.Build();
await host.StartAsync();
var grains = host.Services.GetRequiredService<IGrainFactory>();
var storage = host.Services.GetRequiredKeyedService<IGrainStorage>(GrainStorage.Name);
var sharded = typeof(RouteTableState).Assembly.GetType("Granary.Routes.RouteShards") is not null;
Console.WriteLine($"route table: {(sharded ? "sharded (after)" : "one record (before)")}; storage: " +
    (postgres ? "PostgreSQL through Orleans ADO.NET grain storage, Granary JSON serializer" : "Orleans memory grain storage") +
    $"; {changes} changes per size, {Environment.ProcessorCount} cores");

var run = Guid.NewGuid().ToString("N")[..6];
foreach (var size in sizes)
{
    var key = $"bench-{size}-{run}";
    var table = grains.GetGrain<IRouteTableGrain>(key);
    var apps = Enumerable.Range(0, size).Select(i => new AppRoutes(Guid.NewGuid(), $"app{i}", [$"app{i}.bench.test"],
        [new RouteBackend(Guid.NewGuid(), 0, "10.0.0.1", 61000), new RouteBackend(Guid.NewGuid(), 1, "10.0.0.2", 61000)],
        RoutePolicy.Default)).ToArray();
    var fill = new RouteTableState { Version = size, Epoch = 1 };
    foreach (var app in apps)
    {
        fill.Apps[app.AppId] = app;
    }

    await storage.WriteStateAsync("routes", table.GetGrainId(), new GrainState<RouteTableState>(fill));

    var clock = Stopwatch.StartNew();
    await table.GetChangesSince(size);
    var activation = clock.Elapsed.TotalMilliseconds;

    var random = new Random(size);
    for (var i = 0; i < 5; i++)
    {
        await Change(table, apps, random); // warm-up: JIT, connection pool
    }

    var latencies = new List<double>();
    for (var i = 0; i < changes; i++)
    {
        clock.Restart();
        await Change(table, apps, random);
        latencies.Add(clock.Elapsed.TotalMilliseconds);
    }

    await table.Cast<IGrainManagementExtension>().DeactivateOnIdle();
    clock.Restart();
    await table.GetChangesSince(0);
    var reload = clock.Elapsed.TotalMilliseconds;

    latencies.Sort();
    Console.WriteLine($"{size,7} apps: SetApp p50 {Percentile(latencies, 0.50),8:0.00} ms  p99 {Percentile(latencies, 0.99),8:0.00} ms  " +
        $"max {latencies[^1],8:0.00} ms  | first activation {activation,7:0} ms{(sharded ? " (moves the record into shards)" : "")}, " +
        $"reactivation {reload,7:0} ms{(postgres ? $" | largest record {await LargestRecordKbAsync(key),8:0} KB" : "")}");
}

await host.StopAsync();
return 0;

static async Task Change(IRouteTableGrain table, AppRoutes[] apps, Random random)
{
    var i = random.Next(apps.Length);
    apps[i] = apps[i] with { Backends = [new RouteBackend(Guid.NewGuid(), 0, "10.0.0.3", random.Next(61000, 65000))] };
    await table.SetApp(apps[i]);
}

static double Percentile(List<double> sorted, double p) => sorted[Math.Max(0, (int)Math.Ceiling(p * sorted.Count) - 1)];

async Task<double> LargestRecordKbAsync(string grainKey)
{
    // A string grain key is stored whole in GrainIdExtensionString by the ADO.NET provider.
    await using var connection = new NpgsqlConnection(database);
    await connection.OpenAsync();
    await using var command = new NpgsqlCommand(
        "SELECT coalesce(max(octet_length(PayloadBinary)), 0) FROM OrleansStorage WHERE GrainIdExtensionString = @key AND GrainTypeString LIKE 'routes%'",
        connection);
    command.Parameters.AddWithValue("key", grainKey);
    return Convert.ToDouble(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture) / 1024;
}

static int FreePort()
{
    using var listener = new TcpListener(IPAddress.Loopback, 0);
    listener.Start();
    return ((IPEndPoint)listener.LocalEndpoint).Port;
}
