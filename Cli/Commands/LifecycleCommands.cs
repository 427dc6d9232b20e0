using System.CommandLine;
using Granary.Cli.Api;
using Granary.Cli.Running;

namespace Granary.Cli.Commands;

/// <summary><c>start</c>, <c>stop</c> and <c>restart</c>.</summary>
internal static class LifecycleCommands
{
    // Starting a started app waits for what already runs; restarting waits for new instances only.
    public static Command Start(CliHost host) => Waiting(host, "start", "Start an app and wait for its instances to run",
        (api, app, ct) => api.PatchAppAsync(app.Id, new PatchAppRequest(State: AppStates.Started), ct),
        before => before.State == AppStates.Started ? InstanceBaseline.None : InstanceBaseline.Of(before));

    public static Command Restart(CliHost host) => Waiting(host, "restart", "Restart every instance and wait for them to run",
        (api, app, ct) => api.RestartAppAsync(app.Id, ct),
        InstanceBaseline.Of);

    public static Command Stop(CliHost host)
    {
        var name = GlobalOptions.AppName();
        var command = new Command("stop", "Stop an app's instances") { name };
        command.SetAction(host, async (parse, ctx, ct) =>
        {
            var app = await ctx.Api.RequireAppAsync(parse.GetValue(name)!, ct);
            await ctx.Api.PatchAppAsync(app.Id, new PatchAppRequest(State: AppStates.Stopped), ct);
            ctx.Console.Line($"Stopped {app.Name}");
            return 0;
        });
        return command;
    }

    private static Command Waiting(CliHost host, string verb, string description,
        Func<GranaryApiClient, App, CancellationToken, Task<App>> act, Func<App, InstanceBaseline> baselineOf)
    {
        var name = GlobalOptions.AppName();
        var timeout = GlobalOptions.Timeout();
        var command = new Command(verb, description) { name, timeout };
        command.SetAction(host, async (parse, ctx, ct) =>
        {
            var app = await ctx.Api.RequireAppAsync(parse.GetValue(name)!, ct);
            var baseline = baselineOf((await ctx.Api.GetAppAsync(app.Id, ct)).App);
            app = await act(ctx.Api, app, ct);
            if (app.Droplet is null)
                throw new CliException($"{app.Name} has not been staged yet: ./granary push to stage it (it will then run)");
            ctx.Console.Line($"Waiting for {app.Name} to run…");
            app = await StartupWaiter.WaitForRunningAsync(ctx.Api, ctx.Console, app, baseline, null,
                TimeSpan.FromSeconds(Math.Max(1, parse.GetValue(timeout))), ct);
            StartupWaiter.PrintSummary(ctx.Console, app);
            return 0;
        });
        return command;
    }
}
