using System.CommandLine;

namespace Granary.Cli.Commands;

internal static class InfoCommand
{
    public static Command Create(CliHost host)
    {
        var json = GlobalOptions.Json();
        var command = new Command("info", "Show the API's version, URLs and domain") { json };
        command.SetAction(host, async (parse, ctx, ct) =>
        {
            var (info, raw) = await ctx.Api.GetInfoAsync(ct);
            if (parse.GetValue(json))
            {
                ctx.Console.Line(raw.Trim());
                return 0;
            }
            ctx.Console.Line($"API:      {info.Api ?? ctx.Api.BaseUrl}");
            ctx.Console.Line($"Edge:     {info.Edge ?? "-"}");
            ctx.Console.Line($"Domain:   {info.Domain ?? "-"}");
            ctx.Console.Line($"Version:  {info.Version ?? "-"}");
            ctx.Console.Line($"Node:     {info.NodeId ?? "-"}");
            ctx.Console.Line($"Isolation: {info.Isolation ?? "-"}{(info.IsolationProblems is { Count: > 0 } p ? $" ({string.Join("; ", p)})" : "")}");
            ctx.Console.Line($"Logged in: {(string.IsNullOrEmpty(ctx.Config.Token) ? "no (./granary login)" : "yes")}");
            return 0;
        });
        return command;
    }
}
