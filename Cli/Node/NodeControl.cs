using System.Diagnostics;
using Granary.Cli.Api;
using Granary.Cli.Commands;
using Granary.Cli.Micro;
using Granary.Cli.Postgres;

namespace Granary.Cli.Node;

/// <summary>What runs on this node right now: one line of <c>granary status</c>.</summary>
internal sealed record LocalProcess(string Name, int? Pid, bool Up);

/// <summary>Starts and stops this node's processes: its PostgreSQL (on a core that manages one) and the supervisor.</summary>
internal static class NodeControl
{
    public const string SupervisorName = "supervisor";
    public const string SupervisorMarker = "granary.dll";
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(120);

    public static ManagedPostgres Database(NodePaths paths, NodeConfig config) => new(paths.Postgres, config.Advertise);

    /// <summary>Starts what is not running yet and waits until this node's silo is ready.</summary>
    public static async Task StartAsync(CommandContext ctx, NodePaths paths, NodeConfig config, CancellationToken ct)
    {
        if (config.ManagesPostgres && !await Database(paths, config).IsRunningAsync(ctx.Host.Env, ct))
            await Database(paths, config).StartAsync(ctx.Console, ctx.Host.Env, config.Ports.Postgres, ct);

        var supervisorPid = ProcessProbe.RunningFromFile(paths.PidFile(SupervisorName), SupervisorMarker);
        if (supervisorPid is null)
        {
            NodeProcessPlan.Locate(ctx.Host.Env); // fail here, with a clear message, rather than inside the detached supervisor
            var cli = Path.Combine(AppContext.BaseDirectory, "granary.dll");
            supervisorPid = await DetachedProcess.StartAsync(DetachedProcess.DotnetHost(), [cli, "node", "run", "--home", paths.Home],
                paths.LogFile(SupervisorName), paths.PidFile(SupervisorName), new Dictionary<string, string>(), ct);
            ctx.Console.Line($"Started the node supervisor (pid {supervisorPid}), log: {paths.LogFile(SupervisorName)}");
        }
        else
        {
            ctx.Console.Line($"The node supervisor already runs (pid {supervisorPid})");
        }

        await WaitReadyAsync(ctx, paths, config, supervisorPid.Value, ct);
    }

    /// <summary>Stops the supervisor (which stops the edge and the silo), anything it left, then the managed PostgreSQL.</summary>
    public static async Task StopAsync(CommandContext ctx, NodePaths paths, NodeConfig config, bool includeDatabase, CancellationToken ct)
    {
        foreach (var (name, marker) in new[]
                 {
                     (SupervisorName, SupervisorMarker),
                     ("edge", NodeProcessPlan.EdgeMarker),
                     ("silo", NodeProcessPlan.SiloMarker),
                 })
        {
            if (ProcessProbe.RunningFromFile(paths.PidFile(name), marker) is { } pid)
            {
                var graceful = await MicroDown.StopAsync(pid, marker, ct);
                ctx.Console.Line($"Stopped the {name} (pid {pid}{(graceful ? "" : ", killed after the grace period")})");
            }
            File.Delete(paths.PidFile(name));
        }

        if (includeDatabase && config.ManagesPostgres && await Database(paths, config).StopAsync(ctx.Host.Env, ct))
            ctx.Console.Line($"Stopped PostgreSQL (data kept in {Database(paths, config).Data})");
    }

    public static async Task<IReadOnlyList<LocalProcess>> DescribeAsync(CommandContext ctx, NodePaths paths, NodeConfig config, CancellationToken ct)
    {
        var list = new List<LocalProcess> { Probe(paths, SupervisorName, SupervisorMarker), Probe(paths, "silo", NodeProcessPlan.SiloMarker) };
        if (config.Has(NodeRoles.Router))
            list.Add(Probe(paths, "edge", NodeProcessPlan.EdgeMarker));
        if (config.ManagesPostgres)
        {
            var database = Database(paths, config);
            var pid = PostmasterPid(Path.Combine(database.Data, "postmaster.pid"));
            list.Add(new LocalProcess("postgres", pid, await database.IsRunningAsync(ctx.Host.Env, ct)));
        }
        return list;
    }

    /// <summary>postmaster.pid holds the server's pid on its first line (more lines follow).</summary>
    private static int? PostmasterPid(string file)
    {
        try
        {
            return int.TryParse(File.ReadLines(file).FirstOrDefault(), out var pid) ? pid : null;
        }
        catch (IOException)
        {
            return null;
        }
    }

    private static LocalProcess Probe(NodePaths paths, string name, string marker)
    {
        var pid = ProcessProbe.ReadPid(paths.PidFile(name));
        return new LocalProcess(name, pid, pid is { } p && ProcessProbe.IsRunning(p, marker));
    }

    private static async Task WaitReadyAsync(CommandContext ctx, NodePaths paths, NodeConfig config, int supervisorPid, CancellationToken ct)
    {
        using var local = new GranaryApiClient(config.LocalApi, null);
        ctx.Console.Line($"Waiting for {local.BaseUrl}/readyz…");
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < ReadyTimeout)
        {
            if (!ProcessProbe.IsRunning(supervisorPid, SupervisorMarker))
                throw new CliException($"the node supervisor exited; see {paths.LogFile(SupervisorName)}");
            using var attempt = CancellationTokenSource.CreateLinkedTokenSource(ct);
            attempt.CancelAfter(TimeSpan.FromSeconds(2));
            try
            {
                if (await local.IsReadyAsync(attempt.Token))
                {
                    ctx.Console.Line($"Node {config.NodeId} is up with roles {string.Join(',', config.Roles)}");
                    return;
                }
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
            }
            await Task.Delay(250, ct);
        }

        var tail = string.Join("\n  ", LogTail.Read(paths.LogFile("silo"), 20));
        throw new CliException($"node {config.NodeId} was not ready after {ReadyTimeout.TotalSeconds:0} s; last lines of {paths.LogFile("silo")}:\n  {tail}");
    }
}
