using System.CommandLine;
using Granary.Cli.Api;
using Granary.Cli.Output;

namespace Granary.Cli.Commands;

internal static class AppCommand
{
    public static Command Create(CliHost host)
    {
        var name = GlobalOptions.AppName();
        var json = GlobalOptions.Json();
        var command = new Command("app", "Show one app and its instances") { name, json };
        command.SetAction(host, async (parse, ctx, ct) =>
        {
            var found = await ctx.Api.RequireAppAsync(parse.GetValue(name)!, ct);
            var (app, raw) = await ctx.Api.GetAppAsync(found.Id, ct);
            if (parse.GetValue(json))
            {
                ctx.Console.Line(raw.Trim());
                return 0;
            }
            Print(ctx, app);
            return 0;
        });
        return command;
    }

    private static void Print(CommandContext ctx, App app)
    {
        var c = ctx.Console;
        c.Line($"name:       {app.Name}");
        c.Line($"state:      {app.State}");
        c.Line($"instances:  {Formats.Running(app)} running");
        c.Line($"memory:     {Formats.Memory(app.MemoryMb)}");
        c.Line($"routes:     {Formats.Routes(app)}");
        c.Line($"urls:       {Formats.Urls(app)}");
        c.Line($"balancing:  {Formats.LoadBalancing(app.LoadBalancing)}");
        c.Line($"sticky:     {Formats.OnOff(app.StickySessions)}");
        c.Line($"command:    {app.Command ?? app.Droplet?.StartCommand ?? "-"}{(app.Command is null && app.Droplet is not null ? " (detected)" : "")}");
        c.Line($"framework:  {app.Droplet?.Framework ?? "-"}");
        c.Line($"staging:    {StagingText(app.Staging)}");
        c.Line($"health:     {(app.HealthCheck is { } h ? h.Type + (h.Path is null ? "" : " " + h.Path) : "-")}");
        c.Line($"updated:    {Formats.Time(app.UpdatedAt)}");
        if (app.InstanceDetails is { Count: > 0 } instances)
        {
            c.Line();
            Formats.Instances(c, instances);
        }
    }

    private static string StagingText(Staging? s) =>
        s is null ? "-"
        : s.State == StagingStates.Failed ? $"FAILED: {s.Error}"
        : s.FinishedAt is { } done ? $"{s.State} at {Formats.Time(done)}"
        : s.State;
}
