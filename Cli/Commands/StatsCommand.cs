using System.CommandLine;
using System.Globalization;
using Granary.Cli.Api;
using Granary.Cli.Output;

namespace Granary.Cli.Commands;

/// <summary><c>granary stats APP</c> (Stackato's stats, cf app): each instance's CPU, memory against its limit, uptime.</summary>
internal static class StatsCommand
{
    public static Command Create(CliHost host)
    {
        var name = GlobalOptions.AppName();
        var json = GlobalOptions.Json();
        var command = new Command("stats", "Show each instance's CPU, memory and uptime, from its cgroup") { name, json };
        command.SetAction(host, async (parse, ctx, ct) =>
        {
            var app = await ctx.Api.RequireAppAsync(parse.GetValue(name)!, ct);
            var (stats, raw) = await ctx.Api.GetStatsAsync(app.Id, ct);
            if (parse.GetValue(json))
            {
                ctx.Console.Line(raw.Trim());
                return 0;
            }

            if (stats.Count == 0)
            {
                ctx.Console.Line($"{app.Name} has no instances");
                return 0;
            }

            TextTable.Write(ctx.Console, ["index", "state", "cpu", "memory", "uptime", "node"], stats.Select(Row));
            return 0;
        });
        return command;
    }

    private static IReadOnlyList<string> Row(InstanceStat s) =>
    [
        s.Index.ToString(CultureInfo.InvariantCulture),
        s.State,
        s.CpuPercent is { } cpu ? cpu.ToString("0.0", CultureInfo.InvariantCulture) + "%" : "-",
        $"{(s.MemoryBytes is { } used ? Size(used) : "-")} of {Size(s.MemoryLimitBytes)}",
        s.UptimeSeconds is { } up ? Uptime(TimeSpan.FromSeconds(up)) : "-",
        s.Node ?? "-",
    ];

    public static string Size(long bytes) => bytes >= 1024L * 1024 * 1024
        ? (bytes / (1024.0 * 1024 * 1024)).ToString("0.0", CultureInfo.InvariantCulture) + "G"
        : (bytes / (1024.0 * 1024)).ToString("0.0", CultureInfo.InvariantCulture) + "M";

    public static string Uptime(TimeSpan up) => up.TotalDays >= 1
        ? $"{(int)up.TotalDays}d {up.Hours}h"
        : up.TotalHours >= 1 ? $"{(int)up.TotalHours}h {up.Minutes}m" : $"{(int)up.TotalMinutes}m {up.Seconds}s";
}
