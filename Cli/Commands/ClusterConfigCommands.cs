using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Granary.Cli.Api;
using Granary.Cli.Output;

namespace Granary.Cli.Commands;

/// <summary>
/// <c>granary config get|set|unset</c>: cluster-wide settings kept by the cluster's config grain and pushed to the
/// silos and edges that watch them (as Doozer did for Stackato), e.g. <c>Granary:Health:HeartbeatInterval</c>.
/// </summary>
internal static class ClusterConfigCommands
{
    public static Command Create(CliHost host) => new("config", "Cluster-wide settings, applied without restarts")
    {
        Get(host),
        Set(host),
        Unset(host),
    };

    private static Command Get(CliHost host)
    {
        var key = new Argument<string?>("KEY") { Description = "One setting (default: all that are set)", Arity = ArgumentArity.ZeroOrOne };
        var json = GlobalOptions.Json();
        var command = new Command("get", "Show cluster settings") { key, json };
        command.SetAction(host, async (parse, ctx, ct) =>
        {
            var config = await ctx.Api.GetClusterConfigAsync(ct);
            if (parse.GetValue(key) is { } one)
            {
                var value = config.Values.FirstOrDefault(kv => string.Equals(kv.Key, one, StringComparison.OrdinalIgnoreCase)).Value
                    ?? throw new CliException($"{one} is not set in the cluster config (each node uses its own setting or the default)");
                ctx.Console.Line(value);
                return 0;
            }

            if (parse.GetValue(json))
            {
                ctx.Console.Line(JsonSerializer.Serialize(config, CliJsonContext.Default.ClusterConfigView));
                return 0;
            }

            ctx.Console.Line($"Cluster config version {config.Version.ToString(CultureInfo.InvariantCulture)}");
            TextTable.Write(ctx.Console, ["key", "value"], config.Values.OrderBy(kv => kv.Key, StringComparer.Ordinal)
                .Select(kv => (IReadOnlyList<string>)[kv.Key, kv.Value]));
            return 0;
        });
        return command;
    }

    private static Command Set(CliHost host)
    {
        var key = new Argument<string>("KEY") { Description = "e.g. Granary:Health:HeartbeatInterval" };
        var value = new Argument<string>("VALUE") { Description = "e.g. 00:00:01" };
        var command = new Command("set", "Change a cluster setting; every silo and edge watching it applies it at once") { key, value };
        command.SetAction(host, async (parse, ctx, ct) =>
        {
            var config = await ctx.Api.SetClusterConfigAsync(parse.GetValue(key)!, parse.GetValue(value)!, ct);
            ctx.Console.Line($"{parse.GetValue(key)} = {parse.GetValue(value)} (cluster config version {config.Version.ToString(CultureInfo.InvariantCulture)})");
            return 0;
        });
        return command;
    }

    private static Command Unset(CliHost host)
    {
        var key = new Argument<string>("KEY") { Description = "The setting to remove from the cluster config" };
        var command = new Command("unset", "Remove a cluster setting: each node goes back to its own setting or the default") { key };
        command.SetAction(host, async (parse, ctx, ct) =>
        {
            var config = await ctx.Api.SetClusterConfigAsync(parse.GetValue(key)!, null, ct);
            ctx.Console.Line($"{parse.GetValue(key)} unset (cluster config version {config.Version.ToString(CultureInfo.InvariantCulture)})");
            return 0;
        });
        return command;
    }
}
