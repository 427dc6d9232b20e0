using System.CommandLine;
using System.Globalization;
using Granary.Cli.Output;

namespace Granary.Cli.Commands;

/// <summary><c>granary node …</c>: the cluster's DEA nodes as the health manager sees them.</summary>
internal static class NodeCommands
{
    private static readonly TimeSpan EvacuationWait = TimeSpan.FromMinutes(2);

    public static Command Create(CliHost host) => new("node", "Set up, attach, start and stop this machine's node; inspect and evacuate the cluster's nodes")
    {
        NodeSetupCommands.Setup(host),
        NodeSetupCommands.Attach(host),
        NodeProcessCommands.Start(host),
        NodeProcessCommands.Stop(host),
        NodeProcessCommands.Restart(host),
        NodeProcessCommands.Run(host),
        NodeRemoveCommand.Create(host),
        NodeProcessCommands.Systemd(host),
        List(host),
        Evacuate(host),
        JoinToken(host),
    };

    /// <summary>A join token for <c>granary node attach</c>: the admin's own credentials never leave this machine.</summary>
    private static Command JoinToken(CliHost host)
    {
        var ttl = new Option<string>("--ttl") { Description = "How long it works: 30m, 1h, 2d (1 minute to 7 days)", DefaultValueFactory = _ => "1h" };
        var command = new Command("join-token", "Make a token that lets a node join this cluster and nothing else (admins)") { ttl };
        command.SetAction(host, async (parse, ctx, ct) =>
        {
            var lifetime = Durations.Parse(parse.GetValue(ttl)!);
            var token = await ctx.Api.IssueJoinTokenAsync(lifetime, ct);
            ctx.Console.Line(token.Token);
            // The token alone on stdout (for scripts); how to use it on stderr.
            ctx.Console.Err.WriteLine($"Works until {token.ExpiresAt:yyyy-MM-dd HH:mm} UTC, for: granary node attach -e ROLE CORE --token TOKEN");
            return 0;
        });
        return command;
    }

    private static Command List(CliHost host)
    {
        var json = GlobalOptions.Json();
        var command = new Command("list", "List every DEA node with its status, instances and memory") { json };
        command.SetAction(host, async (parse, ctx, ct) =>
        {
            var (nodes, raw) = await ctx.Api.GetNodesAsync(ct);
            if (parse.GetValue(json))
            {
                ctx.Console.Line(raw.Trim());
                return 0;
            }

            TextTable.Write(ctx.Console, ["node", "status", "instances", "memory", "last heartbeat", "note"],
                nodes.Select(n => (IReadOnlyList<string>)
                [
                    n.Id,
                    n.Draining && n.Status == "ALIVE" ? "DRAINING" : n.Status,
                    n.Instances.ToString(CultureInfo.InvariantCulture),
                    $"{Formats.Memory(n.ReservedMemoryMb)} of {Formats.Memory(n.MemoryMb)}",
                    Formats.Time(n.LastHeartbeat),
                    n.Reason ?? "",
                ]));
            return 0;
        });
        return command;
    }

    private static Command Evacuate(CliHost host)
    {
        var node = new Argument<string>("NODE") { Description = "The node to empty (see granary node list)" };
        var noWait = new Option<bool>("--no-wait") { Description = "Return once evacuation has begun" };
        var command = new Command("evacuate",
            "Move every instance off a node: replacements start elsewhere first, then the node's instances stop; " +
            "the node takes no new instances until it restarts") { node, noWait };
        command.SetAction(host, async (parse, ctx, ct) =>
        {
            var id = parse.GetValue(node)!;
            if (parse.GetValue(noWait))
            {
                var state = await ctx.Api.EvacuateNodeAsync(id, ct);
                ctx.Console.Line($"Evacuating {id}: {state.Instances} instance(s) to move");
                return 0;
            }

            await EvacuateAndWaitAsync(ctx, id, ct);
            return 0;
        });
        return command;
    }

    /// <summary>Evacuates a node and waits until it runs no instances.</summary>
    public static async Task EvacuateAndWaitAsync(CommandContext ctx, string id, CancellationToken ct)
    {
        var state = await ctx.Api.EvacuateNodeAsync(id, ct);
        ctx.Console.Line($"Evacuating {id}: {state.Instances} instance(s) to move");
        var deadline = DateTimeOffset.UtcNow + EvacuationWait;
        var last = state.Instances;
        while (state.Instances > 0)
        {
            if (DateTimeOffset.UtcNow > deadline)
            {
                throw new CliException($"{id} still runs {state.Instances} instance(s) after {EvacuationWait.TotalMinutes:0} min: " +
                    "other nodes may lack memory for them (see granary node list and granary events APP)");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(500), ct);
            state = await ctx.Api.GetNodeAsync(id, ct);
            if (state.Instances != last)
            {
                ctx.Console.Line($"  {state.Instances} left");
                last = state.Instances;
            }
        }

        ctx.Console.Line($"{id} is empty; it takes no new instances until it restarts");
    }
}
