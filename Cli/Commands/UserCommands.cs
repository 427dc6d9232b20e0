using System.CommandLine;
using Granary.Cli.Output;

namespace Granary.Cli.Commands;

/// <summary><c>create-user</c>, <c>users</c>, <c>delete-user</c>, <c>passwd</c>.</summary>
internal static class UserCommands
{
    public static Command Create(CliHost host)
    {
        var name = new Argument<string>("NAME") { Description = "The user's login name (lower case letters, digits, '.', '_', '-')" };
        var password = PasswordOption("The user's password (without it the CLI asks; on a pipe it reads one line)");
        var admin = new Option<bool>("--admin") { Description = "Make the user a cluster admin" };
        var command = new Command("create-user", "Create a user (cluster admins only)") { name, password, admin };
        command.SetAction(host, async (parse, ctx, ct) =>
        {
            var secret = parse.GetValue(password) ?? PasswordPrompt.ReadNew(ctx.Console, "Password for the new user: ");
            var user = await ctx.Api.CreateUserAsync(parse.GetValue(name)!, secret, parse.GetValue(admin), ct);
            ctx.Console.Line($"Created user {user.Name}{(user.Admin ? " (cluster admin)" : "")}; they log in with ./granary login -u {user.Name}");
            return 0;
        });
        return command;
    }

    public static Command List(CliHost host)
    {
        var json = GlobalOptions.Json();
        var command = new Command("users", "List users (cluster admins only)") { json };
        command.SetAction(host, async (parse, ctx, ct) =>
        {
            var (users, raw) = await ctx.Api.ListUsersAsync(ct);
            if (parse.GetValue(json))
            {
                ctx.Console.Line(raw.Trim());
                return 0;
            }

            TextTable.Write(ctx.Console, ["name", "admin", "created", "by"], users.Select(u => (IReadOnlyList<string>)
                [u.Name, u.Admin ? "yes" : "no", Formats.Time(u.CreatedAt), u.CreatedBy]));
            return 0;
        });
        return command;
    }

    public static Command Delete(CliHost host)
    {
        var name = new Argument<string>("NAME") { Description = "The user's name" };
        var force = new Option<bool>("--force", "-f") { Description = "Do not ask for confirmation" };
        var command = new Command("delete-user", "Delete a user and end their sessions (cluster admins only)") { name, force };
        command.SetAction(host, async (parse, ctx, ct) =>
        {
            var user = parse.GetValue(name)!;
            if (!parse.GetValue(force))
            {
                if (!ctx.Console.InputIsTerminal)
                    throw new UsageException($"not deleting user {user} without confirmation: pass -f");
                ctx.Console.Out.Write($"Really delete the user {user}? [y/N] ");
                if ((await ctx.Console.In.ReadLineAsync(ct))?.Trim().ToLowerInvariant() is not ("y" or "yes"))
                {
                    ctx.Console.Line($"{user} was not deleted");
                    return 0;
                }
            }

            await ctx.Api.DeleteUserAsync(user, ct);
            ctx.Console.Line($"Deleted user {user}; their sessions have ended");
            return 0;
        });
        return command;
    }

    public static Command Passwd(CliHost host)
    {
        var name = new Argument<string?>("NAME") { Description = "Whose password (default: your own; another user's needs the admin role)", Arity = ArgumentArity.ZeroOrOne };
        var password = PasswordOption("The new password (without it the CLI asks)");
        var current = new Option<string?>("--current") { Description = "Your current password, when you change your own (without it the CLI asks)", HelpName = "PASSWORD" };
        var command = new Command("passwd", "Set a password: your own, or as an admin anyone's. Their sessions end") { name, password, current };
        command.SetAction(host, async (parse, ctx, ct) =>
        {
            var me = await ctx.Api.MeAsync(ct);
            var user = parse.GetValue(name) ?? me.Name;
            var own = string.Equals(user, me.Name, StringComparison.OrdinalIgnoreCase);
            string? currentPassword = null;
            if (own && !me.Admin)
                currentPassword = parse.GetValue(current) ?? PasswordPrompt.Read(ctx.Console, "Current password: ");
            var secret = parse.GetValue(password) ?? PasswordPrompt.ReadNew(ctx.Console, "New password: ");
            await ctx.Api.SetPasswordAsync(user, secret, currentPassword, ct);
            // Every session of the user ended, so a stored session of theirs is dead; an admin token keeps working.
            var endedOwnSession = own && ctx.Config.RefreshToken is not null;
            if (endedOwnSession)
                ctx.Store.Save(ctx.Store.LoadFile().LoggedOut());
            ctx.Console.Line(endedOwnSession
                ? $"Password of {user} changed; every session ended, this one too: ./granary login -u {user}"
                : $"Password of {user} set; their sessions have ended");
            return 0;
        });
        return command;
    }

    private static Option<string?> PasswordOption(string description) =>
        new("--password", "-p") { Description = description, HelpName = "PASSWORD" };
}
