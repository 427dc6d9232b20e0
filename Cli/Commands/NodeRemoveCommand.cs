using System.CommandLine;
using Granary.Cli.Node;

namespace Granary.Cli.Commands;

/// <summary>
/// <c>granary node remove NODE</c>: evacuates the node's instances (as <c>node evacuate</c>), then, when NODE is this
/// machine, stops its processes and forgets its config. Another machine's processes are stopped on that machine:
/// the node tool has no remote control of other VMs, so it says what to run there.
/// </summary>
internal static class NodeRemoveCommand
{
    public static Command Create(CliHost host)
    {
        var node = new Argument<string>("NODE") { Description = "The node to take out of the cluster (see granary status --all)" };
        var command = new Command("remove", "Evacuate a node's instances, then stop this machine's processes if NODE is this node and forget its config") { node };
        command.SetAction(host, async (parse, ctx, ct) =>
        {
            var id = parse.GetValue(node)!;
            var paths = new NodePaths(ctx.Store.Home);
            var local = NodeConfig.Load(paths);
            if (local is { ManagesPostgres: true } && local.NodeId == id)
                throw new CliException($"{id} is the core and runs the cluster's PostgreSQL: remove the other nodes first, then stop it with granary node stop");

            var (deas, _) = await ctx.Api.GetNodesAsync(ct);
            if (deas.FirstOrDefault(d => d.Id == id) is { Status: "ALIVE" })
                await NodeCommands.EvacuateAndWaitAsync(ctx, id, ct);
            else if (local?.NodeId != id && !(await ctx.Api.GetClusterNodesAsync(ct)).Any(n => n.NodeId == id) && deas.All(d => d.Id != id))
                throw new CliException($"no node named {id} is in the cluster (see granary status --all)");

            if (local?.NodeId == id)
            {
                await NodeControl.StopAsync(ctx, paths, local, includeDatabase: false, ct);
                File.Delete(paths.Config);
                ctx.Console.Line($"Removed {id}: its processes are stopped and {paths.Config} is deleted ({paths.Data} is kept)");
            }
            else
            {
                ctx.Console.Line($"{id} runs no instances now; stop its processes on that machine with: granary node remove {id}");
            }
            return 0;
        });
        return command;
    }
}
