using System.CommandLine;
using System.Globalization;
using Granary.Cli.Output;

namespace Granary.Cli.Commands;

/// <summary><c>granary crashes APP</c>: each crash with its time, exit code and the last lines the instance printed.</summary>
internal static class CrashesCommand
{
    public static Command Create(CliHost host)
    {
        var name = GlobalOptions.AppName();
        var json = GlobalOptions.Json();
        var command = new Command("crashes", "List an app's recent crashes, oldest first, with their last output") { name, json };
        command.SetAction(host, async (parse, ctx, ct) =>
        {
            var app = await ctx.Api.RequireAppAsync(parse.GetValue(name)!, ct);
            var (crashes, raw) = await ctx.Api.GetCrashesAsync(app.Id, ct);
            if (parse.GetValue(json))
            {
                ctx.Console.Line(raw.Trim());
                return 0;
            }

            if (crashes.Count == 0)
            {
                ctx.Console.Line($"{app.Name} has not crashed");
                return 0;
            }

            foreach (var crash in crashes)
            {
                var code = crash.ExitCode?.ToString(CultureInfo.InvariantCulture) ?? "none";
                ctx.Console.Line($"{Formats.Time(crash.Time)}  instance {crash.Index}  exit code {code}  " +
                    $"ran {crash.RanForSeconds.ToString("0.#", CultureInfo.InvariantCulture)} s on {crash.Node}: {crash.Reason}");
                foreach (var line in crash.LastLines ?? [])
                {
                    ctx.Console.Line("    | " + line);
                }
            }

            var flapping = app.InstanceDetails?.Where(i => i.Flapping).ToList() ?? [];
            foreach (var instance in flapping)
            {
                ctx.Console.Line($"instance {instance.Index} is FLAPPING: {instance.CrashesInARow} crashes in a row, next try {Formats.Time(instance.NextRestartAt)}");
            }

            return 0;
        });
        return command;
    }
}
