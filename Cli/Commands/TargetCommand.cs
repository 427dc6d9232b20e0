using System.CommandLine;
using Granary.Cli.Config;

namespace Granary.Cli.Commands;

/// <summary><c>target</c>: the API this CLI talks to, and the org and space its app verbs work in.</summary>
internal static class TargetCommand
{
    public static Command Create(CliHost host)
    {
        var url = new Argument<string?>("URL") { Description = "The API URL to use from now on", Arity = ArgumentArity.ZeroOrOne };
        var org = new Option<string?>("--org", "-o") { Description = "Work in this org", HelpName = "ORG" };
        var space = new Option<string?>("--space", "-s") { Description = "Work in this space of the org", HelpName = "SPACE" };
        var command = new Command("target", "Show or set the API, org and space this CLI works with") { url, org, space };
        command.SetAction(host, async (parse, ctx, ct) =>
        {
            var value = parse.GetValue(url);
            if (value is not null)
            {
                if (!Uri.TryCreate(ConfigStore.NormalizeUrl(value), UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
                    throw new UsageException($"'{value}' is not an http(s) URL");
                var api = ConfigStore.NormalizeUrl(value);
                // Another API has other orgs: the old target means nothing there.
                ctx.Store.Save(ctx.Store.LoadFile() with { Api = api, Org = null, Space = null, SpaceId = null });
                ctx.Console.Line($"API set to {api}");
            }

            if (parse.GetValue(org) is not null || parse.GetValue(space) is not null)
                await TargetSpaceAsync(ctx, parse.GetValue(org), parse.GetValue(space), ct);
            if (value is null)
                Show(ctx);
            return 0;
        });
        return command;
    }

    /// <summary>Checks the org and space against the API (so a typo is caught now) and keeps the space's id.</summary>
    private static async Task TargetSpaceAsync(CommandContext ctx, string? orgName, string? spaceName, CancellationToken ct)
    {
        var (org, _) = await ctx.Api.GetOrgAsync(orgName ?? OrgCommands.OrgOf(null, ctx), ct);
        var space = spaceName is null
            ? (org.Spaces.Count == 1 ? org.Spaces[0] : null)
            : org.Spaces.FirstOrDefault(s => s.Name == spaceName.Trim().ToLowerInvariant())
              ?? throw new CliException($"org {org.Name} has no space named '{spaceName}' that you can see (./granary spaces -o {org.Name})");
        ctx.Store.Save(ctx.Store.LoadFile() with { Org = org.Name, Space = space?.Name, SpaceId = space?.Id });
        ctx.Console.Line(space is null
            ? $"Org set to {org.Name}; pick a space: ./granary target -s SPACE ({string.Join(", ", org.Spaces.Select(s => s.Name))})"
            : $"Targeting org {org.Name}, space {space.Name}");
    }

    private static void Show(CommandContext ctx)
    {
        var config = ctx.Store.LoadEffective(ctx.Host.Env);
        ctx.Console.Line($"API:   {config.Api}");
        ctx.Console.Line($"Edge:  {config.Edge ?? "-"}");
        ctx.Console.Line($"User:  {config.User ?? (string.IsNullOrEmpty(config.Token) ? "none (./granary login -u NAME)" : "admin token")}");
        ctx.Console.Line($"Org:   {config.Org ?? "-"}");
        ctx.Console.Line($"Space: {config.Space ?? (config.Org is null ? "- (apps go to the default space)" : "- (./granary target -s SPACE)")}");
        if (!string.IsNullOrWhiteSpace(ctx.Host.Env("GRANARY_API")))
            ctx.Console.Line("(API from $GRANARY_API)");
    }
}
