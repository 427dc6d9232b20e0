using System.CommandLine;
using Granary.Cli.Api;
using Granary.Cli.Output;

namespace Granary.Cli.Commands;

internal static class ScaleCommand
{
    public static Command Create(CliHost host)
    {
        var name = GlobalOptions.AppName();
        var instances = GlobalOptions.Instances();
        var memory = GlobalOptions.Memory();
        var command = new Command("scale", "Change an app's instance count or memory") { name, instances, memory };
        command.SetAction(host, async (parse, ctx, ct) =>
        {
            var patch = new PatchAppRequest(Instances: parse.GetValue(instances), MemoryMb: parse.GetValue(memory));
            if (patch.IsEmpty)
                throw new UsageException("nothing to scale: give -i N and/or -m SIZE");
            var app = await ctx.Api.RequireAppAsync(parse.GetValue(name)!, ct);
            app = await ctx.Api.PatchAppAsync(app.Id, patch, ct);
            ctx.Console.Line($"Scaled {app.Name}: {app.Instances} instance(s) of {Formats.Memory(app.MemoryMb)}");
            return 0;
        });
        return command;
    }
}
