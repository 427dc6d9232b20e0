using System.CommandLine;
using Granary.Cli.Api;

namespace Granary.Cli.Commands;

internal static class LoginCommand
{
    public static Command Create(CliHost host)
    {
        var token = new Option<string?>("--token") { Description = "API token (default: $GRANARY_TOKEN)", HelpName = "TOKEN" };
        var command = new Command("login", "Store an API token after checking it against the API") { token };
        command.SetAction(host, async (parse, ctx, ct) =>
        {
            var value = parse.GetValue(token) ?? ctx.Host.Env("GRANARY_TOKEN");
            if (string.IsNullOrWhiteSpace(value))
                throw new UsageException("no token: pass --token TOKEN or set GRANARY_TOKEN (./granary micro up prints where the micro cloud's token is)");
            value = value.Trim();
            // Check before storing, so a typo never replaces a token that worked.
            using (var api = new GranaryApiClient(ctx.Config.Api!, value))
                await api.ListAppsAsync(ct);
            // The token belongs to the API it was checked against, so keep them together in the file.
            ctx.Store.Save(ctx.Store.LoadFile() with { Token = value, Api = ctx.Config.Api });
            ctx.Console.Line($"Logged in to {ctx.Config.Api}; token stored in {ctx.Store.FilePath}");
            return 0;
        });
        return command;
    }
}
