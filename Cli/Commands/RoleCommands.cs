using System.CommandLine;
using Granary.Cli.Node;

namespace Granary.Cli.Commands;

/// <summary><c>granary role add|remove ROLE</c>: change this node's roles and restart its processes with them.</summary>
internal static class RoleCommands
{
    public static Command Create(CliHost host) => new("role", "Change this node's roles")
    {
        Change(host, "add", "Give this node a role (controller, router, stager, dea) and restart its processes", NodeRoles.Add),
        Change(host, "remove", "Take a role from this node and restart its processes", NodeRoles.Remove),
    };

    private static Command Change(CliHost host, string verb, string description,
        Func<IReadOnlyList<string>, string, IReadOnlyList<string>> apply)
    {
        var role = new Argument<string>("ROLE") { Description = string.Join(", ", NodeRoles.All) };
        var command = new Command(verb, description) { role };
        command.SetAction(host, async (parse, ctx, ct) =>
        {
            var paths = new NodePaths(ctx.Store.Home);
            var config = NodeConfig.Require(paths);
            var changed = config with { Roles = apply(config.Roles, parse.GetValue(role)!) };
            // Stop with the old roles first: the supervisor plans its processes from the file when it starts.
            await NodeControl.StopAsync(ctx, paths, config, includeDatabase: false, ct);
            changed.Save(paths);
            ctx.Console.Line($"Roles of {config.NodeId}: {string.Join(',', config.Roles)} -> {string.Join(',', changed.Roles)}");
            await NodeControl.StartAsync(ctx, paths, changed, ct);
            return 0;
        });
        return command;
    }
}
