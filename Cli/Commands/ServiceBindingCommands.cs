using System.CommandLine;
using Granary.Cli.Api;

namespace Granary.Cli.Commands;

/// <summary>
/// <c>bind-service</c> and <c>unbind-service</c>. As in Cloud Foundry, running instances keep the environment
/// they started with: the change reaches the app at its next restart (or push).
/// </summary>
internal static class ServiceBindingCommands
{
    public static Command Bind(CliHost host)
    {
        var app = GlobalOptions.AppName();
        var service = new Argument<string>("SERVICE") { Description = "The service instance" };
        var command = new Command("bind-service", "Give an app a service's credentials (GRANARY_SERVICES, DATABASE_URL) from its next restart") { app, service };
        command.SetAction(host, async (parse, ctx, ct) =>
        {
            var target = await ctx.Api.RequireAppAsync(parse.GetValue(app)!, ct);
            var binding = await ctx.Api.BindServiceAsync(target.Id, parse.GetValue(service)!, ct);
            ctx.Console.Line($"Bound {binding.ServiceInstance} to {target.Name}");
            ctx.Console.Line($"Restart the app for its instances to see it: ./granary restart {target.Name}");
            return 0;
        });
        return command;
    }

    public static Command Unbind(CliHost host)
    {
        var app = GlobalOptions.AppName();
        var service = new Argument<string>("SERVICE") { Description = "The service instance" };
        var command = new Command("unbind-service", "Take a service's credentials away from an app (the broker revokes them now)") { app, service };
        command.SetAction(host, async (parse, ctx, ct) =>
        {
            var target = await ctx.Api.RequireAppAsync(parse.GetValue(app)!, ct);
            await ctx.Api.UnbindServiceAsync(target.Id, parse.GetValue(service)!, ct);
            ctx.Console.Line($"Unbound {parse.GetValue(service)} from {target.Name}");
            ctx.Console.Line($"Running instances keep the old variables until restarted: ./granary restart {target.Name}");
            return 0;
        });
        return command;
    }

    /// <summary>A manifest's <c>services:</c>, bound before staging so the first start already sees them.</summary>
    public static async Task BindManifestServicesAsync(CommandContext ctx, App app, IReadOnlyList<string>? services, CancellationToken ct)
    {
        if (services is not { Count: > 0 })
            return;
        var bound = (await ctx.Api.ListBindingsAsync(app.Id, ct)).Select(b => b.ServiceInstance).ToHashSet(StringComparer.Ordinal);
        foreach (var service in services.Where(s => !bound.Contains(s)))
        {
            await ctx.Api.BindServiceAsync(app.Id, service, ct);
            ctx.Console.Line($"Bound {service} to {app.Name}");
        }
    }
}
