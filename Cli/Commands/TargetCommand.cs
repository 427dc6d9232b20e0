using System.CommandLine;
using Granary.Cli.Config;

namespace Granary.Cli.Commands;

internal static class TargetCommand
{
    public static Command Create(CliHost host)
    {
        var url = new Argument<string?>("URL") { Description = "The API URL to use from now on", Arity = ArgumentArity.ZeroOrOne };
        var command = new Command("target", "Show or set the Granary API this CLI talks to") { url };
        command.SetAction(host, (parse, ctx, _) =>
        {
            var value = parse.GetValue(url);
            if (value is null)
            {
                ctx.Console.Line($"API:   {ctx.Config.Api}");
                ctx.Console.Line($"Edge:  {ctx.Config.Edge ?? "-"}");
                ctx.Console.Line($"Token: {(string.IsNullOrEmpty(ctx.Config.Token) ? "none (./granary login)" : "set")}");
                if (!string.IsNullOrWhiteSpace(ctx.Host.Env("GRANARY_API")))
                    ctx.Console.Line("(API from $GRANARY_API)");
                return Task.FromResult(0);
            }
            if (!Uri.TryCreate(ConfigStore.NormalizeUrl(value), UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
                throw new UsageException($"'{value}' is not an http(s) URL");
            var api = ConfigStore.NormalizeUrl(value);
            ctx.Store.Save(ctx.Store.LoadFile() with { Api = api });
            ctx.Console.Line($"API set to {api}");
            return Task.FromResult(0);
        });
        return command;
    }
}
