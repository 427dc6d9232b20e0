using System.CommandLine;
using Granary.Cli.Api;
using Granary.Cli.Output;

namespace Granary.Cli.Commands;

/// <summary><c>routes</c>, <c>map-route</c> and <c>unmap-route</c>: which host names the edge sends to which app.</summary>
internal static class RouteCommands
{
    public static Command Routes(CliHost host)
    {
        var json = GlobalOptions.Json();
        var command = new Command("routes", "List every route: host name, app and URL") { json };
        command.SetAction(host, async (parse, ctx, ct) =>
        {
            var (routes, raw) = await ctx.Api.ListRoutesAsync(ct);
            if (parse.GetValue(json))
            {
                ctx.Console.Line(raw.Trim());
                return 0;
            }
            if (routes.Count == 0)
            {
                ctx.Console.Line("No routes yet: ./granary push PATH, or ./granary map-route APP HOST");
                return 0;
            }
            TextTable.Write(ctx.Console, ["host", "app", "url"],
                routes.OrderBy(r => r.Host, StringComparer.Ordinal).Select(r => (IReadOnlyList<string>)
                    [r.Host, r.AppName ?? r.AppId, r.Url ?? "-"]));
            return 0;
        });
        return command;
    }

    public static Command Map(CliHost host)
    {
        var name = GlobalOptions.AppName();
        var route = Host();
        var command = new Command("map-route", "Send a host name's traffic to an app") { name, route };
        command.SetAction(host, async (parse, ctx, ct) =>
        {
            var app = await ctx.Api.RequireAppAsync(parse.GetValue(name)!, ct);
            var hostName = parse.GetValue(route)!;
            if (IsMapped(app, hostName))
            {
                ctx.Console.Line($"{Normalize(hostName)} is already mapped to {app.Name}");
                return 0;
            }
            app = await ctx.Api.MapRouteAsync(app.Id, hostName, ct);
            var url = UrlOf(app, hostName);
            ctx.Console.Line($"Mapped {Normalize(hostName)} to {app.Name}" + (url is null ? "" : $": {url}"));
            return 0;
        });
        return command;
    }

    public static Command Unmap(CliHost host)
    {
        var name = GlobalOptions.AppName();
        var route = Host();
        var command = new Command("unmap-route", "Stop sending a host name's traffic to an app") { name, route };
        command.SetAction(host, async (parse, ctx, ct) =>
        {
            var app = await ctx.Api.RequireAppAsync(parse.GetValue(name)!, ct);
            var hostName = parse.GetValue(route)!;
            app = await ctx.Api.UnmapRouteAsync(app.Id, hostName, ct);
            ctx.Console.Line($"Unmapped {Normalize(hostName)} from {app.Name}");
            if (app.Routes is { Count: 0 })
                ctx.Console.Line($"{app.Name} has no routes left: the edge sends it nothing (./granary map-route {app.Name} HOST)");
            return 0;
        });
        return command;
    }

    /// <summary>Whether <paramref name="app"/> already has <paramref name="host"/>, compared as the API compares hosts.</summary>
    public static bool IsMapped(App app, string host) => app.Routes?.Contains(Normalize(host), StringComparer.Ordinal) == true;

    /// <summary>The API's form of a host name: trimmed, no trailing dot, lower case.</summary>
    public static string Normalize(string host) => host.Trim().TrimEnd('.').ToLowerInvariant();

    // Urls holds one URL per route, in the same order.
    private static string? UrlOf(App app, string host) =>
        app.Routes?.IndexOf(Normalize(host)) is >= 0 and var i && app.Urls is { } urls && i < urls.Count ? urls[i] : null;

    private static Argument<string> Host() => new("HOST") { Description = "Host name, such as www.example.com" };
}
