using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Granary.Cli.Api;
using Granary.Cli.Node;
using Granary.Cli.Output;

namespace Granary.Cli.Commands;

/// <summary><c>granary status [--all] [--json]</c>: this node's processes, and every node's roles, silo, health and instances.</summary>
internal static class StatusCommand
{
    public static Command Create(CliHost host)
    {
        var all = new Option<bool>("--all", "-a") { Description = "Every node of the cluster, not only this one" };
        var json = GlobalOptions.Json();
        var command = new Command("status", "Show this node's processes and the cluster's nodes with roles, health and instances") { all, json };
        command.SetAction(host, async (parse, ctx, ct) =>
        {
            var paths = new NodePaths(ctx.Store.Home);
            var config = NodeConfig.Load(paths);
            var processes = config is null ? [] : await NodeControl.DescribeAsync(ctx, paths, config, ct);
            var (deas, _) = await ctx.Api.GetNodesAsync(ct);
            var rows = NodeStatusMerge.Rows(await ctx.Api.GetClusterNodesAsync(ct), deas);
            if (!parse.GetValue(all) && config is not null)
                rows = rows.Where(r => r.NodeId == config.NodeId).ToList();

            if (parse.GetValue(json))
            {
                ctx.Console.Line(JsonSerializer.Serialize(new NodeStatusReport(config?.NodeId, processes, rows), CliJsonContext.Default.NodeStatusReport));
                return 0;
            }

            if (config is not null)
            {
                ctx.Console.Line($"Node {config.NodeId} (roles {string.Join(',', config.Roles)}) of cluster {config.ClusterId}, advertised as {config.Advertise}");
                TextTable.Write(ctx.Console, ["process", "pid", "state"],
                    processes.Select(p => (IReadOnlyList<string>)[p.Name, p.Pid?.ToString(CultureInfo.InvariantCulture) ?? "-", p.Up ? "up" : "DOWN"]));
                ctx.Console.Line("");
            }

            TextTable.Write(ctx.Console, ["node", "roles", "silo", "pid", "health", "instances", "isolation", "version"],
                rows.Select(r => (IReadOnlyList<string>)
                [
                    r.NodeId, string.Join(',', r.Roles), r.Silo, r.Pid?.ToString(CultureInfo.InvariantCulture) ?? "-", r.Health ?? "-",
                    r.Instances?.ToString(CultureInfo.InvariantCulture) ?? "-", r.Isolation ?? "-", r.Version ?? "-",
                ]));
            return 0;
        });
        return command;
    }
}
