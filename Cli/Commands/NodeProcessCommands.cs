using System.CommandLine;
using System.Runtime.InteropServices;
using Granary.Cli.Node;

namespace Granary.Cli.Commands;

/// <summary><c>granary node start|stop|restart|run|remove|systemd</c>: this node's processes.</summary>
internal static class NodeProcessCommands
{
    public static Command Start(CliHost host)
    {
        var command = new Command("start", "Start this node's processes (PostgreSQL on a core that runs it, the supervisor, silo and edge)");
        command.SetAction(host, async (_, ctx, ct) =>
        {
            var paths = new NodePaths(ctx.Store.Home);
            await NodeControl.StartAsync(ctx, paths, NodeConfig.Require(paths), ct);
            return 0;
        });
        return command;
    }

    public static Command Stop(CliHost host)
    {
        var keepDb = new Option<bool>("--keep-db") { Description = "Leave the core's PostgreSQL running" };
        var command = new Command("stop", "Stop this node's processes; the silo moves its instances to other nodes first") { keepDb };
        command.SetAction(host, async (parse, ctx, ct) =>
        {
            var paths = new NodePaths(ctx.Store.Home);
            await NodeControl.StopAsync(ctx, paths, NodeConfig.Require(paths), includeDatabase: !parse.GetValue(keepDb), ct);
            return 0;
        });
        return command;
    }

    public static Command Restart(CliHost host)
    {
        var command = new Command("restart", "Stop and start this node's silo and edge (PostgreSQL keeps running)");
        command.SetAction(host, async (_, ctx, ct) =>
        {
            var paths = new NodePaths(ctx.Store.Home);
            var config = NodeConfig.Require(paths);
            await NodeControl.StopAsync(ctx, paths, config, includeDatabase: false, ct);
            await NodeControl.StartAsync(ctx, paths, config, ct);
            return 0;
        });
        return command;
    }

    /// <summary>The detached supervisor that <c>node start</c> launches; not meant to be typed.</summary>
    public static Command Run(CliHost host)
    {
        var command = new Command("run", "Supervise this node's processes in the foreground (node start runs this detached)") { Hidden = true };
        command.SetAction(host, async (_, ctx, ct) =>
        {
            var paths = new NodePaths(ctx.Store.Home);
            var config = NodeConfig.Require(paths);
            var plan = NodeProcessPlan.For(config, paths, NodeProcessPlan.Locate(ctx.Host.Env));
            using var stopping = CancellationTokenSource.CreateLinkedTokenSource(ct);
            using var term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, signal =>
            {
                signal.Cancel = true;
                stopping.Cancel();
            });
            await new NodeSupervisor(paths, plan, ctx.Console).RunAsync(stopping.Token);
            return 0;
        });
        return command;
    }

    public static Command Systemd(CliHost host)
    {
        var command = new Command("systemd", "Print systemd units for this node's silo and edge (and write the environment file they read)");
        command.SetAction(host, (_, ctx, _) =>
        {
            var paths = new NodePaths(ctx.Store.Home);
            var config = NodeConfig.Require(paths);
            var plan = NodeProcessPlan.For(config, paths, NodeProcessPlan.Locate(ctx.Host.Env));
            SystemdUnits.WriteEnvironmentFile(paths, plan);
            ctx.Console.Line(SystemdUnits.Render(config, paths, plan));
            return Task.FromResult(0);
        });
        return command;
    }
}
