using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Granary.Cli.Api;
using Granary.Cli.Commands;
using Granary.Cli.Config;
using Spectre.Console;

namespace Granary.Cli.Micro;

/// <param name="Ephemeral">State in memory only (the silo's localhost mode): nothing survives <c>micro down</c>.</param>
/// <param name="Database">A PostgreSQL connection string to use instead of the micro cloud's own server.</param>
internal sealed record MicroUpOptions(int ApiPort, int EdgePort, string Domain, bool Ephemeral = false, string? Database = null,
    bool AllowUnisolated = false);

/// <summary><c>micro up</c>: a whole Granary (API, controller, DEA, stager, router) on this machine.</summary>
internal static class MicroUp
{
    public const string SiloMarker = "Granary.Silo.dll";
    public const string EdgeMarker = "Granary.Edge.dll";
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(90);

    public static async Task<int> RunAsync(CommandContext ctx, MicroUpOptions options, CancellationToken ct)
    {
        var paths = new MicroPaths(ctx.Store.Home);
        if (ProcessProbe.RunningFromFile(paths.SiloPid, SiloMarker) is { } running)
        {
            var api = ReadState(paths)?.Api ?? ctx.Store.LoadFile().Api ?? "unknown";
            ctx.Console.Line($"A micro cloud is already running under {paths.Home} (silo pid {running}): {api}");
            return 0;
        }
        var siloDll = Locate(ctx.Host.Env("GRANARY_SILO_DLL"), "silo", SiloMarker)
            ?? throw new CliException($"cannot find {SiloMarker} (build it with ./granary, or set GRANARY_SILO_DLL)");
        var edgeDll = Locate(null, "edge", EdgeMarker);
        Directory.CreateDirectory(paths.Data);
        var token = AdminToken.LoadOrCreate(paths.AdminToken);

        var picked = FreePorts.Pick(5);
        var apiPort = ChoosePort(options.ApiPort, picked[0], "--api-port");
        var edgePort = ChoosePort(options.EdgePort, picked[1], "--edge-port");
        var (siloPort, gatewayPort) = (picked[2], picked[3]);
        var apiUrl = $"http://127.0.0.1:{apiPort}";
        var edgeUrl = $"http://{options.Domain}:{edgePort}";
        var dotnet = DetachedProcess.DotnetHost();
        const string clusterId = "granary-micro";
        // The connection string (with its password) goes by environment, never on a command line others can read.
        var databaseEnv = new Dictionary<string, string>();
        if (!options.Ephemeral)
        {
            try
            {
                if (options.Database is { Length: > 0 } given)
                    await MicroDatabase.PrepareAsync(ctx, given, clusterId, ct);
                databaseEnv["GRANARY_DATABASE"] = options.Database is { Length: > 0 } external
                    ? external
                    : await MicroDatabase.StartAsync(ctx, paths, picked[4], clusterId, ct);
            }
            catch (Exception e) when (e is Npgsql.NpgsqlException or Granary.Migrations.MigrationFailedException or ArgumentException)
            {
                await MicroDown.StopAllAsync(ctx.Console, paths, quiet: true, ct, ctx.Host.Env);
                throw new CliException(options.Database is { Length: > 0 }
                    ? $"the database given with --db is not usable: {e.Message}"
                    : $"the micro cloud's PostgreSQL is not usable: {e.Message} (log: {Path.Combine(paths.Postgres, "postgres.log")})");
            }
        }

        var siloPid = await DetachedProcess.StartAsync(dotnet,
        [
            siloDll, "--urls", apiUrl,
            $"--Granary:Home={paths.Data}", "--Granary:NodeId=micro", "--Granary:Roles=primary,controller,dea,stager,router",
            $"--Granary:Domain={options.Domain}", $"--Granary:EdgeUrl={edgeUrl}", $"--Granary:ApiUrl={apiUrl}",
            $"--Orleans:ClusterId={clusterId}", $"--Orleans:SiloPort={siloPort}", $"--Orleans:GatewayPort={gatewayPort}",
            $"--Granary:Dea:AllowUnisolated={(options.AllowUnisolated ? "true" : "false")}",
        ], paths.SiloLog, paths.SiloPid, new Dictionary<string, string>(databaseEnv) { ["GRANARY_ADMIN_TOKEN"] = token }, ct);
        ctx.Console.Line($"Started the silo (pid {siloPid}), log: {paths.SiloLog}");

        if (edgeDll is not null)
        {
            var edgePid = await DetachedProcess.StartAsync(dotnet,
            [
                edgeDll, "--urls", $"http://0.0.0.0:{edgePort}",
                $"--Orleans:ClusterId={clusterId}", $"--Orleans:GatewayPort={gatewayPort}", $"--Granary:Domain={options.Domain}",
            ], paths.EdgeLog, paths.EdgePid, databaseEnv.Concat(Granary.Cli.Node.EdgeRuntime.Settings).ToDictionary(), ct);
            ctx.Console.Line($"Started the edge (pid {edgePid}), log: {paths.EdgeLog}");
        }

        // Data services need the micro cloud's own PostgreSQL (the broker creates databases as its superuser).
        var brokerDll = Locate(null, "broker", MicroBroker.Marker);
        var broker = options.Ephemeral || options.Database is { Length: > 0 } || brokerDll is null
            ? null
            : await MicroBroker.StartAsync(ctx, paths, brokerDll, databaseEnv["GRANARY_DATABASE"], dotnet, ct);

        using var client = new GranaryApiClient(apiUrl, token);
        var outcome = await WaitReadyAsync(ctx, client, siloPid, ct);
        if (outcome is not null)
        {
            ctx.Console.Line($"Last lines of {paths.SiloLog}:");
            foreach (var line in LogTail.Read(paths.SiloLog, 30))
                ctx.Console.Line("  " + line);
            await MicroDown.StopAllAsync(ctx.Console, paths, quiet: true, ct, ctx.Host.Env);
            throw new CliException(outcome);
        }

        if (broker is not null)
        {
            await MicroBroker.RegisterAsync(client, broker, ct);
            ctx.Console.Line($"Data services: service broker '{MicroBroker.Name}' at {broker.Url} (see ./granary marketplace)");
        }

        var session = await MicroAdmin.LogInAsync(ctx, client, paths.AdminPassword, ct);
        ctx.Store.Save(session is null
            ? ctx.Store.LoadFile().LoggedOut() with { Api = apiUrl, Token = token, Edge = edgeUrl }
            : ctx.Store.LoadFile().LoggedOut() with
            {
                Api = apiUrl,
                Edge = edgeUrl,
                Token = session.AccessToken,
                RefreshToken = session.RefreshToken,
                TokenExpiresAt = session.AccessExpiresAt,
                User = session.User.Name,
            });
        var state = new MicroState(apiUrl, edgeDll is null ? null : edgeUrl, options.Domain, options.Ephemeral);
        File.WriteAllText(paths.State, JsonSerializer.Serialize(state, CliJsonContext.Default.MicroState));
        ctx.Console.Line($"Micro cloud is up. API: {apiUrl}");
        ctx.Console.Line(options.Ephemeral
            ? "State: in memory (--ephemeral): apps are forgotten at micro down"
            : $"State: PostgreSQL{(options.Database is { Length: > 0 } ? " (--db)" : $" in {paths.Postgres}")}: apps, routes, env and events survive micro down / up");
        ctx.Console.Line(Isolation((await client.GetInfoAsync(ct)).Info));
        ctx.Console.Line(edgeDll is null ? "Edge: not built, so apps are reachable only on their instance ports" : $"Edge: {edgeUrl}");
        ctx.Console.Line($"Config saved to {ctx.Store.FilePath}; stop it with ./granary micro down");
        return 0;
    }

    /// <summary>One line on how instances are isolated, and what to do where they cannot be.</summary>
    private static string Isolation(ServerInfo info) => info.Isolation switch
    {
        "full" => "Instances: isolated (own uid, namespaces and cgroup each)",
        _ when info.IsolationProblems is { Count: > 0 } problems => $"Instances: NOT isolated ({string.Join("; ", problems)}): "
            + "this machine runs them only with --allow-unisolated, as this user in the host's namespaces, for development",
        _ => $"Instances: isolation {info.Isolation ?? "unknown"}",
    };

    /// <summary>Null once ready; otherwise why it never got there.</summary>
    private static async Task<string?> WaitReadyAsync(CommandContext ctx, GranaryApiClient client, int siloPid, CancellationToken ct)
    {
        async Task<string?> Poll()
        {
            var clock = Stopwatch.StartNew();
            while (clock.Elapsed < ReadyTimeout)
            {
                if (!ProcessProbe.IsRunning(siloPid, SiloMarker))
                    return "the silo exited before it was ready";
                using var attempt = CancellationTokenSource.CreateLinkedTokenSource(ct);
                attempt.CancelAfter(TimeSpan.FromSeconds(2));
                try
                {
                    if (await client.IsReadyAsync(attempt.Token))
                        return null;
                }
                catch (OperationCanceledException) when (!ct.IsCancellationRequested)
                {
                }
                await Task.Delay(250, ct);
            }
            return string.Create(CultureInfo.InvariantCulture, $"the silo was not ready after {ReadyTimeout.TotalSeconds:0} s");
        }

        if (!ctx.Console.OutputIsTerminal)
        {
            ctx.Console.Line($"Waiting for {client.BaseUrl}/readyz…");
            return await Poll();
        }
        return await ctx.Console.Ansi.Status().StartAsync($"Waiting for {client.BaseUrl}/readyz…", _ => Poll());
    }

    private static int ChoosePort(int requested, int free, string option)
    {
        if (requested == 0)
            return free;
        if (requested is < 1 or > 65535)
            throw new UsageException($"{option} must be a TCP port (1-65535) or 0 for a free one");
        return FreePorts.IsFree(requested) ? requested
            : throw new CliException($"port {requested} is in use (pass {option} 0 to pick a free one)");
    }

    private static string? Locate(string? configured, string folder, string file)
    {
        if (!string.IsNullOrWhiteSpace(configured))
            return File.Exists(configured) ? Path.GetFullPath(configured) : throw new CliException($"GRANARY_SILO_DLL points to {configured}, which does not exist");
        var candidate = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "..", folder, file));
        return File.Exists(candidate) ? candidate : null;
    }

    public static MicroState? ReadState(MicroPaths paths)
    {
        try
        {
            return File.Exists(paths.State) ? JsonSerializer.Deserialize(File.ReadAllText(paths.State), CliJsonContext.Default.MicroState) : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
