using System.CommandLine;
using System.CommandLine.Parsing;
using Granary.Cli.Api;
using Granary.Cli.Output;

namespace Granary.Cli.Commands;

/// <summary><c>set-routing</c>: how the edge spreads an app's traffic over its instances.</summary>
internal static class SetRoutingCommand
{
    public static Command Create(CliHost host)
    {
        var name = GlobalOptions.AppName();
        var balancing = new Option<string?>("--lb")
        {
            Description = "Load balancing: round-robin, or least-requests (the instance with the fewest requests in flight)",
            HelpName = "round-robin|least-requests",
            CustomParser = result => Checked(result, "--lb", t => ParseLoadBalancing(t) is not null, "round-robin or least-requests"),
        };
        // Text, not a bool: a bool option takes only true/false after it, so "on" would be a stray argument.
        var sticky = new Option<string?>("--sticky")
        {
            Description = "Sticky sessions: keep a client on the instance that served it first (by cookie)",
            HelpName = "on|off",
            CustomParser = result => Checked(result, "--sticky", t => ParseOnOff(t) is not null, "on or off"),
        };
        var command = new Command("set-routing", "Change an app's load balancing or sticky sessions") { name, balancing, sticky };
        command.SetAction(host, async (parse, ctx, ct) =>
        {
            var patch = new PatchAppRequest(
                LoadBalancing: parse.GetValue(balancing) is { } lb ? ParseLoadBalancing(lb) : null,
                StickySessions: parse.GetValue(sticky) is { } on ? ParseOnOff(on) : null);
            if (patch.IsEmpty)
                throw new UsageException("nothing to change: give --lb round-robin|least-requests and/or --sticky on|off");
            var app = await ctx.Api.RequireAppAsync(parse.GetValue(name)!, ct);
            app = await ctx.Api.PatchAppAsync(app.Id, patch, ct);
            ctx.Console.Line($"Routing of {app.Name}: {Formats.LoadBalancing(app.LoadBalancing)}, sticky sessions {Formats.OnOff(app.StickySessions)}");
            return 0;
        });
        return command;
    }

    /// <summary>The API's value for a <c>--lb</c> word; null when it is not one.</summary>
    public static string? ParseLoadBalancing(string text) => text.Trim().ToLowerInvariant() switch
    {
        "round-robin" or "round_robin" => LoadBalancingModes.RoundRobin,
        "least-requests" or "least_requests" => LoadBalancingModes.LeastRequests,
        _ => null,
    };

    public static bool? ParseOnOff(string text) => text.Trim().ToLowerInvariant() switch
    {
        "on" => true,
        "off" => false,
        _ => null,
    };

    private static string? Checked(ArgumentResult result, string option, Func<string, bool> isValid, string accepted)
    {
        var text = result.Tokens.Count > 0 ? result.Tokens[0].Value : "";
        if (isValid(text))
            return text;
        result.AddError($"{option} must be {accepted}, not '{text}'");
        return null;
    }
}
