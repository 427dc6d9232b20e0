using System.CommandLine;
using Granary.Cli.Output;

namespace Granary.Cli.Commands;

internal static class EventsCommand
{
    public static Command Create(CliHost host)
    {
        var name = GlobalOptions.AppName();
        var json = GlobalOptions.Json();
        var command = new Command("events", "Show what happened to an app, oldest first") { name, json };
        command.SetAction(host, async (parse, ctx, ct) =>
        {
            var appName = parse.GetValue(name)!;
            var (events, raw) = await ctx.Api.GetEventsByNameAsync(appName, ct);
            if (parse.GetValue(json))
            {
                ctx.Console.Line(raw.Trim());
                return 0;
            }
            if (events.Count == 0)
            {
                ctx.Console.Line($"No events for {appName}");
                return 0;
            }
            TextTable.Write(ctx.Console, ["time", "type", "actor", "message"],
                events.Select(e => (IReadOnlyList<string>)[Formats.Time(e.Time), e.Type, e.Actor ?? "-", e.Message ?? ""]));
            return 0;
        });
        return command;
    }
}
