using System.CommandLine;
using Granary.Cli.Output;

namespace Granary.Cli.Commands;

/// <summary><c>audit-events</c>: who changed what in an org.</summary>
internal static class AuditCommand
{
    public static Command Create(CliHost host)
    {
        var org = OrgCommands.OrgOption();
        var limit = new Option<int>("--limit", "-n") { Description = "How many, newest first", DefaultValueFactory = _ => 100 };
        var json = GlobalOptions.Json();
        var command = new Command("audit-events", "Who changed what in an org: spaces, roles and apps (org managers, auditors, admins)") { org, limit, json };
        command.SetAction(host, async (parse, ctx, ct) =>
        {
            var (events, raw) = await ctx.Api.AuditEventsAsync(OrgCommands.OrgOf(parse.GetValue(org), ctx), parse.GetValue(limit), ct);
            if (parse.GetValue(json))
            {
                ctx.Console.Line(raw.Trim());
                return 0;
            }

            TextTable.Write(ctx.Console, ["time", "actor", "type", "where", "message"], events.Select(e => (IReadOnlyList<string>)
                [Formats.Time(e.Time), e.Actor, e.Type, e.App is null ? "-" : $"{e.Space}/{e.App}", e.Message]));
            return 0;
        });
        return command;
    }
}
