using System.CommandLine;
using System.CommandLine.Invocation;
using Granary.Cli.Api;
using Granary.Cli.Commands;

namespace Granary.Cli;

/// <summary>The <c>granary</c> command tree and its exit-code conventions (0 ok, 1 failure, 2 usage).</summary>
internal static class GranaryCli
{
    public const int UsageExitCode = 2;

    public static RootCommand Build(CliHost host)
    {
        var root = new RootCommand("Granary: push apps, run them, watch them.")
        {
            GlobalOptions.Home(),
            TargetCommand.Create(host),
            LoginCommand.Create(host),
            LoginCommand.Logout(host),
            UserCommands.Create(host),
            UserCommands.List(host),
            UserCommands.Delete(host),
            UserCommands.Passwd(host),
            OrgCommands.CreateOrg(host),
            OrgCommands.Orgs(host),
            OrgCommands.Org(host),
            OrgCommands.DeleteOrg(host),
            OrgCommands.CreateSpace(host),
            OrgCommands.Spaces(host),
            OrgCommands.DeleteSpace(host),
            MemberCommands.OrgRole(host, grant: true),
            MemberCommands.OrgRole(host, grant: false),
            MemberCommands.Users(host, ofSpace: false),
            MemberCommands.SpaceRole(host, grant: true),
            MemberCommands.SpaceRole(host, grant: false),
            MemberCommands.Users(host, ofSpace: true),
            AuditCommand.Create(host),
            QuotaCommands.Create(host, forSpaces: false),
            QuotaCommands.List(host, forSpaces: false),
            QuotaCommands.Assign(host, forSpaces: false),
            QuotaCommands.Create(host, forSpaces: true),
            QuotaCommands.List(host, forSpaces: true),
            QuotaCommands.Assign(host, forSpaces: true),
            InfoCommand.Create(host),
            PushCommand.Create(host),
            AppsCommand.Create(host),
            AppCommand.Create(host),
            ScaleCommand.Create(host),
            LifecycleCommands.Start(host),
            LifecycleCommands.Stop(host),
            LifecycleCommands.Restart(host),
            LogsCommand.Create(host),
            EnvCommands.Env(host),
            EnvCommands.SetEnv(host),
            EnvCommands.UnsetEnv(host),
            RouteCommands.Routes(host),
            RouteCommands.Map(host),
            RouteCommands.Unmap(host),
            SetRoutingCommand.Create(host),
            DeleteCommand.Create(host),
            EventsCommand.Create(host),
            CrashesCommand.Create(host),
            StatsCommand.Create(host),
            NodeCommands.Create(host),
            RoleCommands.Create(host),
            StatusCommand.Create(host),
            ClusterConfigCommands.Create(host),
            MicroCommand.Create(host),
            DbCommand.Create(host),
            ServiceBrokerCommands.Create(host),
            ServiceBrokerCommands.List(host),
            ServiceBrokerCommands.Delete(host),
            ServiceBrokerCommands.Marketplace(host),
            ServiceCommands.Create(host),
            ServiceCommands.CreateUserProvided(host),
            ServiceCommands.List(host),
            ServiceCommands.Delete(host),
            ServiceBindingCommands.Bind(host),
            ServiceBindingCommands.Unbind(host),
        };
        return root;
    }

    public static async Task<int> RunAsync(string[] args, CliHost host, CancellationToken ct = default)
    {
        var root = Build(host);
        var invocation = new InvocationConfiguration { Output = host.Console.Out, Error = host.Console.Err };
        // The node supervisor handles SIGTERM itself and needs more than the parser's 2 s to stop its silo (which evacuates).
        if (args is ["node", "run", ..])
            invocation.ProcessTerminationTimeout = null;
        if (args.Length == 0)
            return await root.Parse(["--help"]).InvokeAsync(invocation, ct);
        // No @response-file expansion: "@…" is a plausible env value or path, never a file of arguments here.
        var parse = root.Parse(args, new ParserConfiguration { ResponseFileTokenReplacer = null });
        if (parse.Action is ParseErrorAction && parse.Errors.Count > 0)
        {
            host.Console.Error($"{ProblemReader.OneLine(parse.Errors[0].Message)} (see: {CommandPath(parse)} --help)");
            return UsageExitCode;
        }
        return await parse.InvokeAsync(invocation, ct);
    }

    private static string CommandPath(ParseResult parse)
    {
        var names = new List<string>();
        for (var result = parse.CommandResult; result is not null; result = result.Parent as System.CommandLine.Parsing.CommandResult)
            names.Insert(0, result.Command is RootCommand ? "granary" : result.Command.Name);
        return string.Join(' ', names);
    }
}
