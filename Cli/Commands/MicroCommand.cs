using System.CommandLine;
using Granary.Cli.Micro;

namespace Granary.Cli.Commands;

internal static class MicroCommand
{
    public static Command Create(CliHost host) => new("micro", "Run a whole Granary on this machine")
    {
        Up(host),
        Down(host),
    };

    private static Command Up(CliHost host)
    {
        var apiPort = new Option<int>("--api-port") { Description = "API port (0: a free one)", DefaultValueFactory = _ => 7700, HelpName = "N" };
        var edgePort = new Option<int>("--edge-port") { Description = "Edge (router) port (0: a free one)", DefaultValueFactory = _ => 7780, HelpName = "N" };
        var domain = new Option<string>("--domain") { Description = "Domain apps get URLs under", DefaultValueFactory = _ => "localhost", HelpName = "D" };
        var ephemeral = new Option<bool>("--ephemeral") { Description = "Keep state in memory only: no PostgreSQL, apps are forgotten at micro down" };
        var db = new Option<string?>("--db") { Description = "Keep state in this PostgreSQL database instead of the micro cloud's own server", HelpName = "CONNSTR" };
        var allowUnisolated = new Option<bool>("--allow-unisolated")
        {
            Description = "Run instances even where they cannot be isolated (not root, no cgroups or bubblewrap): as this user, for development only",
        };
        var command = new Command("up", "Start a micro cloud (PostgreSQL, silo and edge) in the background")
            { apiPort, edgePort, domain, ephemeral, db, allowUnisolated };
        command.SetAction(host, (parse, ctx, ct) =>
        {
            if (parse.GetValue(ephemeral) && parse.GetValue(db) is not null)
                throw new UsageException("--ephemeral keeps state in memory, --db in a database: choose one");
            return MicroUp.RunAsync(ctx, new MicroUpOptions(parse.GetValue(apiPort), parse.GetValue(edgePort), parse.GetValue(domain)!,
                parse.GetValue(ephemeral), parse.GetValue(db), parse.GetValue(allowUnisolated)), ct);
        });
        return command;
    }

    private static Command Down(CliHost host)
    {
        var command = new Command("down", "Stop the micro cloud");
        command.SetAction(host, async (_, ctx, ct) =>
        {
            var paths = new MicroPaths(ctx.Store.Home);
            if (await MicroDown.StopAllAsync(ctx.Console, paths, quiet: false, ct, ctx.Host.Env) == 0)
                ctx.Console.Line($"No micro cloud is running under {paths.Home}");
            return 0;
        });
        return command;
    }
}
