using System.CommandLine;

namespace Granary.Cli.Commands;

internal static class DeleteCommand
{
    public static Command Create(CliHost host)
    {
        var name = GlobalOptions.AppName();
        var force = new Option<bool>("--force", "-f") { Description = "Do not ask for confirmation" };
        var command = new Command("delete", "Stop an app and delete it") { name, force };
        command.SetAction(host, async (parse, ctx, ct) =>
        {
            var app = await ctx.Api.RequireAppAsync(parse.GetValue(name)!, ct);
            if (!parse.GetValue(force))
            {
                if (!ctx.Console.InputIsTerminal)
                    throw new UsageException($"not deleting {app.Name} without confirmation: pass -f");
                ctx.Console.Out.Write($"Really delete the app {app.Name}? [y/N] ");
                var answer = (await ctx.Console.In.ReadLineAsync(ct))?.Trim();
                if (answer is not ("y" or "Y" or "yes" or "YES" or "Yes"))
                {
                    ctx.Console.Line($"{app.Name} was not deleted");
                    return 0;
                }
            }
            await ctx.Api.DeleteAppAsync(app.Id, ct);
            ctx.Console.Line($"Deleted {app.Name}");
            return 0;
        });
        return command;
    }
}
