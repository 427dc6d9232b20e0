using System.CommandLine;
using Granary.Cli.Output;

namespace Granary.Cli.Commands;

/// <summary><c>create-org</c>, <c>orgs</c>, <c>org</c>, <c>delete-org</c>, <c>create-space</c>, <c>spaces</c>, <c>delete-space</c>.</summary>
internal static class OrgCommands
{
    public static Command CreateOrg(CliHost host)
    {
        var name = new Argument<string>("ORG") { Description = "The org's name" };
        var command = new Command("create-org", "Create an org (cluster admins only)") { name };
        command.SetAction(host, async (parse, ctx, ct) =>
        {
            var org = await ctx.Api.CreateOrgAsync(parse.GetValue(name)!, ct);
            ctx.Console.Line($"Created org {org.Name}; next: ./granary create-space SPACE -o {org.Name}");
            return 0;
        });
        return command;
    }

    public static Command Orgs(CliHost host)
    {
        var json = GlobalOptions.Json();
        var command = new Command("orgs", "List the orgs you can see") { json };
        command.SetAction(host, async (parse, ctx, ct) =>
        {
            var (orgs, raw) = await ctx.Api.ListOrgsAsync(ct);
            if (parse.GetValue(json))
            {
                ctx.Console.Line(raw.Trim());
                return 0;
            }

            TextTable.Write(ctx.Console, ["name", "spaces"], orgs.Select(o => (IReadOnlyList<string>)
                [o.Name, o.Spaces.Count == 0 ? "-" : string.Join(", ", o.Spaces.Select(s => s.Name))]));
            return 0;
        });
        return command;
    }

    public static Command Org(CliHost host)
    {
        var name = new Argument<string>("ORG") { Description = "The org's name" };
        var json = GlobalOptions.Json();
        var command = new Command("org", "Show an org and its spaces") { name, json };
        command.SetAction(host, async (parse, ctx, ct) =>
        {
            var (org, raw) = await ctx.Api.GetOrgAsync(parse.GetValue(name)!, ct);
            if (parse.GetValue(json))
            {
                ctx.Console.Line(raw.Trim());
                return 0;
            }

            ctx.Console.Line($"Org {org.Name} (created {Formats.Time(org.CreatedAt)} by {org.CreatedBy})");
            var usage = await ctx.Api.OrgUsageAsync(org.Name, ct);
            ctx.Console.Line($"Uses {usage.Usage.Apps} apps, {usage.Usage.Instances} instances, {Formats.Memory(usage.Usage.MemoryMb)} of memory, {usage.Usage.Routes} routes");
            ctx.Console.Line(usage.Quota is { } quota ? $"Quota {quota.Name}: {QuotaCommands.Describe(quota)}" : "Quota: none");
            TextTable.Write(ctx.Console, ["space", "id"], org.Spaces.Select(s => (IReadOnlyList<string>)[s.Name, s.Id]));
            return 0;
        });
        return command;
    }

    public static Command DeleteOrg(CliHost host)
    {
        var name = new Argument<string>("ORG") { Description = "The org's name" };
        var force = new Option<bool>("--force", "-f") { Description = "Also delete its apps (and their routes)" };
        var command = new Command("delete-org", "Delete an org: refused while its spaces hold apps, unless -f (cluster admins only)") { name, force };
        command.SetAction(host, async (parse, ctx, ct) =>
        {
            var deleted = await ctx.Api.DeleteOrgAsync(parse.GetValue(name)!, parse.GetValue(force), ct);
            Report(ctx, $"org {parse.GetValue(name)}", deleted);
            return 0;
        });
        return command;
    }

    public static Command CreateSpace(CliHost host)
    {
        var name = new Argument<string>("SPACE") { Description = "The space's name" };
        var org = OrgOption();
        var command = new Command("create-space", "Create a space in an org (org managers and admins)") { name, org };
        command.SetAction(host, async (parse, ctx, ct) =>
        {
            var orgName = OrgOf(parse.GetValue(org), ctx);
            var space = await ctx.Api.CreateSpaceAsync(orgName, parse.GetValue(name)!, ct);
            ctx.Console.Line($"Created space {space.Name} in org {space.Org}; work in it: ./granary target -o {space.Org} -s {space.Name}");
            return 0;
        });
        return command;
    }

    public static Command Spaces(CliHost host)
    {
        var org = OrgOption();
        var json = GlobalOptions.Json();
        var command = new Command("spaces", "List the spaces of an org that you can see") { org, json };
        command.SetAction(host, async (parse, ctx, ct) =>
        {
            var (info, _) = await ctx.Api.GetOrgAsync(OrgOf(parse.GetValue(org), ctx), ct);
            if (parse.GetValue(json))
            {
                ctx.Console.Line(System.Text.Json.JsonSerializer.Serialize(info.Spaces, Api.CliJsonContext.Default.ListSpaceEntry));
                return 0;
            }

            TextTable.Write(ctx.Console, ["space", "org", "id"], info.Spaces.Select(s => (IReadOnlyList<string>)[s.Name, s.Org, s.Id]));
            return 0;
        });
        return command;
    }

    public static Command DeleteSpace(CliHost host)
    {
        var name = new Argument<string>("SPACE") { Description = "The space's name" };
        var org = OrgOption();
        var force = new Option<bool>("--force", "-f") { Description = "Also delete its apps (and their routes)" };
        var command = new Command("delete-space", "Delete a space: refused while it holds apps, unless -f (org managers and admins)") { name, org, force };
        command.SetAction(host, async (parse, ctx, ct) =>
        {
            var orgName = OrgOf(parse.GetValue(org), ctx);
            var deleted = await ctx.Api.DeleteSpaceAsync(orgName, parse.GetValue(name)!, parse.GetValue(force), ct);
            if (ctx.Config.Org == orgName && ctx.Config.Space == parse.GetValue(name))
                ctx.Store.Save(ctx.Store.LoadFile() with { Space = null, SpaceId = null });
            Report(ctx, $"space {orgName}/{parse.GetValue(name)}", deleted);
            return 0;
        });
        return command;
    }

    public static Option<string?> OrgOption() => new("--org", "-o") { Description = "The org (default: the targeted one)", HelpName = "ORG" };

    public static string OrgOf(string? given, CommandContext ctx) =>
        given ?? ctx.Config.Org ?? throw new UsageException("which org? pass -o ORG or target one: ./granary target -o ORG");

    private static void Report(CommandContext ctx, string what, Api.DeletedEntry deleted)
    {
        foreach (var app in deleted.Apps)
            ctx.Console.Line($"Deleted app {app}");
        ctx.Console.Line($"Deleted {what}" + (deleted.Spaces.Count > 1 ? $" and its spaces {string.Join(", ", deleted.Spaces)}" : ""));
    }
}
