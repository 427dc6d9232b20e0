using System.CommandLine;
using Granary.Cli.Output;

namespace Granary.Cli.Commands;

internal static class AppsCommand
{
    public static Command Create(CliHost host)
    {
        var json = GlobalOptions.Json();
        var command = new Command("apps", "List apps") { json };
        command.SetAction(host, async (parse, ctx, ct) =>
        {
            var (apps, raw) = await ctx.Api.ListAppsAsync(ct);
            if (parse.GetValue(json))
            {
                ctx.Console.Line(raw.Trim());
                return 0;
            }
            if (apps.Count == 0)
            {
                ctx.Console.Line("No apps yet: ./granary push PATH");
                return 0;
            }
            TextTable.Write(ctx.Console, ["name", "state", "running", "memory", "urls"],
                apps.OrderBy(a => a.Name, StringComparer.Ordinal).Select(a => (IReadOnlyList<string>)
                    [a.Name, a.State, Formats.Running(a), Formats.Memory(a.MemoryMb), Formats.Urls(a)]));
            return 0;
        });
        return command;
    }
}
