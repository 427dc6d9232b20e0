using System.CommandLine;
using Granary.Cli.Api;
using Granary.Cli.Output;

namespace Granary.Cli.Commands;

/// <summary><c>login</c> (a user's name and password, or an admin token) and <c>logout</c>.</summary>
internal static class LoginCommand
{
    public static Command Create(CliHost host)
    {
        var user = new Option<string?>("--user", "-u") { Description = "Log in as this user (asks for the password)", HelpName = "NAME" };
        var password = new Option<string?>("--password", "-p") { Description = "The user's password (without it the CLI asks; on a pipe it reads one line)", HelpName = "PASSWORD" };
        var token = new Option<string?>("--token") { Description = "Use an admin token instead of a user (default: $GRANARY_TOKEN)", HelpName = "TOKEN" };
        var command = new Command("login", "Log in as a user (tokens refresh silently until logout), or store an admin token") { user, password, token };
        command.SetAction(host, async (parse, ctx, ct) =>
        {
            var api = ctx.Config.Api!;
            if (parse.GetValue(user) is { } name)
            {
                var secret = parse.GetValue(password) ?? PasswordPrompt.Read(ctx.Console, $"Password for {name}: ");
                using var anonymous = new GranaryApiClient(api, null);
                var tokens = await anonymous.LoginAsync(name, secret, ct);
                ctx.Store.Save(ctx.Store.LoadFile().LoggedOut() with
                {
                    Api = api,
                    Token = tokens.AccessToken,
                    RefreshToken = tokens.RefreshToken,
                    TokenExpiresAt = tokens.AccessExpiresAt,
                    User = tokens.User.Name,
                });
                ctx.Console.Line($"Logged in to {api} as {tokens.User.Name}{(tokens.User.Admin ? " (cluster admin)" : "")}; tokens stored in {ctx.Store.FilePath}");
                return 0;
            }

            var value = parse.GetValue(token) ?? ctx.Host.Env("GRANARY_TOKEN");
            if (string.IsNullOrWhiteSpace(value))
                throw new UsageException("say who: ./granary login -u NAME, or --token TOKEN for an admin token (./granary micro up logs you in as admin)");
            value = value.Trim();
            // Check before storing, so a typo never replaces a token that worked.
            using (var checking = new GranaryApiClient(api, value))
                await checking.MeAsync(ct);
            // The token belongs to the API it was checked against, so keep them together in the file.
            ctx.Store.Save(ctx.Store.LoadFile().LoggedOut() with { Token = value, Api = api });
            ctx.Console.Line($"Logged in to {api}; token stored in {ctx.Store.FilePath}");
            return 0;
        });
        return command;
    }

    public static Command Logout(CliHost host)
    {
        var command = new Command("logout", "End this session: its tokens stop working at once, and the CLI forgets them");
        command.SetAction(host, async (_, ctx, ct) =>
        {
            var file = ctx.Store.LoadFile();
            if (file.Token is null)
            {
                ctx.Console.Line("Not logged in");
                return 0;
            }

            if (file.RefreshToken is not null)
            {
                try
                {
                    // Through the renewing client: an expired access token is renewed first, so the session really ends.
                    await ctx.Api.LogoutAsync(ct);
                }
                catch (ApiException e) when (e.Status == System.Net.HttpStatusCode.Unauthorized)
                {
                    // Revoked already: the session is over either way.
                }
                catch (CliException e)
                {
                    ctx.Console.Error($"could not end the session on the server ({e.Message}); forgetting it here anyway");
                }
            }

            ctx.Store.Save(file.LoggedOut());
            ctx.Console.Line(file.User is { } name ? $"Logged out {name}" : "Forgot the stored token");
            return 0;
        });
        return command;
    }
}
