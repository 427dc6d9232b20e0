using System.CommandLine;
using Granary.Cli.Output;

namespace Granary.Cli.Commands;

/// <summary><c>set-org-role</c>, <c>unset-org-role</c>, <c>org-users</c>, <c>set-space-role</c>, <c>unset-space-role</c>, <c>space-users</c>.</summary>
internal static class MemberCommands
{
    public static Command OrgRole(CliHost host, bool grant)
    {
        var user = new Argument<string>("USER");
        var org = new Argument<string>("ORG");
        var role = new Argument<string>("ROLE") { Description = "OrgManager, OrgAuditor or OrgUser" };
        var command = new Command(grant ? "set-org-role" : "unset-org-role", grant ? "Give a user a role in an org" : "Take an org role from a user") { user, org, role };
        command.SetAction(host, async (parse, ctx, ct) =>
        {
            await ctx.Api.SetRoleAsync(parse.GetValue(org)!, null, parse.GetValue(user)!, parse.GetValue(role)!, grant, ct);
            ctx.Console.Line($"{(grant ? "Gave" : "Took")} {parse.GetValue(role)} {(grant ? "to" : "from")} {parse.GetValue(user)} in org {parse.GetValue(org)}");
            return 0;
        });
        return command;
    }

    public static Command SpaceRole(CliHost host, bool grant)
    {
        var user = new Argument<string>("USER");
        var org = new Argument<string>("ORG");
        var space = new Argument<string>("SPACE");
        var role = new Argument<string>("ROLE") { Description = "SpaceManager, SpaceDeveloper or SpaceAuditor" };
        var command = new Command(grant ? "set-space-role" : "unset-space-role", grant ? "Give a user a role in a space" : "Take a space role from a user") { user, org, space, role };
        command.SetAction(host, async (parse, ctx, ct) =>
        {
            await ctx.Api.SetRoleAsync(parse.GetValue(org)!, parse.GetValue(space)!, parse.GetValue(user)!, parse.GetValue(role)!, grant, ct);
            ctx.Console.Line($"{(grant ? "Gave" : "Took")} {parse.GetValue(role)} {(grant ? "to" : "from")} {parse.GetValue(user)} in space {parse.GetValue(org)}/{parse.GetValue(space)}");
            return 0;
        });
        return command;
    }

    public static Command Users(CliHost host, bool ofSpace)
    {
        var org = new Argument<string>("ORG");
        var space = new Argument<string>("SPACE");
        var json = GlobalOptions.Json();
        var command = ofSpace
            ? new Command("space-users", "List who holds which role in a space") { org, space, json }
            : new Command("org-users", "List who holds which role in an org") { org, json };
        command.SetAction(host, async (parse, ctx, ct) =>
        {
            var (members, raw) = await ctx.Api.MembersAsync(parse.GetValue(org)!, ofSpace ? parse.GetValue(space) : null, ct);
            if (parse.GetValue(json))
            {
                ctx.Console.Line(raw.Trim());
                return 0;
            }

            TextTable.Write(ctx.Console, ["user", "roles"], members.Select(m => (IReadOnlyList<string>)[m.Name, string.Join(", ", m.Roles)]));
            return 0;
        });
        return command;
    }
}
