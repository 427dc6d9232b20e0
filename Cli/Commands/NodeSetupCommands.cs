using System.CommandLine;
using Granary.Cli.Node;

namespace Granary.Cli.Commands;

/// <summary><c>granary node setup core</c> and <c>granary node attach</c>: make this machine a node of a cluster.</summary>
internal static class NodeSetupCommands
{
    public static Command Setup(CliHost host) => new("setup", "Make this machine a cluster node") { Core(host) };

    private static Command Core(CliHost host)
    {
        var domain = new Option<string>("--domain") { Description = "Domain apps get URLs under (APP.DOMAIN)", DefaultValueFactory = _ => "localhost", HelpName = "D" };
        var db = new Option<string?>("--db") { Description = "Keep the cluster's state in this PostgreSQL database instead of one this node runs", HelpName = "CONNSTR" };
        var noDea = new Option<bool>("--no-dea") { Description = "Run no app instances on the core" };
        var (nodeOptions, read) = NodeOptions();
        var command = new Command("core",
            "Set up the core node (roles primary, controller, router, stager, and dea unless --no-dea): its PostgreSQL " +
            "(unless --db), silo and edge; prints the attach command for the other nodes") { domain, db, noDea };
        foreach (var option in nodeOptions)
            command.Options.Add(option);
        command.SetAction(host, (parse, ctx, ct) =>
            NodeSetup.SetupCoreAsync(ctx, read(parse), parse.GetValue(domain)!, parse.GetValue(db), !parse.GetValue(noDea), ct));
        return command;
    }

    public static Command Attach(CliHost host)
    {
        var roles = new Option<string[]>("--roles", "-e")
        {
            Description = "Roles of this node: dea, router, stager, controller (comma-separated or repeated)",
            HelpName = "ROLES",
            Required = true,
            AllowMultipleArgumentsPerToken = false,
        };
        var core = new Argument<string>("CORE_ADDR") { Description = "The core's address (IP, IP:API_PORT or URL)" };
        var token = new Option<string?>("--token") { Description = "The join token granary node setup core printed (default: $GRANARY_TOKEN)", HelpName = "TOKEN" };
        var (nodeOptions, read) = NodeOptions();
        var command = new Command("attach", "Join the core's cluster with the given roles and start this node's processes") { roles, core, token };
        foreach (var option in nodeOptions)
            command.Options.Add(option);
        command.SetAction(host, (parse, ctx, ct) =>
        {
            var joinToken = parse.GetValue(token) ?? ctx.Host.Env("GRANARY_TOKEN")
                ?? throw new UsageException("pass --token TOKEN (the one granary node setup core printed)");
            return NodeSetup.AttachAsync(ctx, read(parse), NodeRoles.ParseForAttach(parse.GetValue(roles) ?? []), parse.GetValue(core)!, joinToken, ct);
        });
        return command;
    }

    private static (Option[] Options, Func<ParseResult, NodeSetupOptions> Read) NodeOptions()
    {
        var nodeId = new Option<string?>("--node-id") { Description = "This node's name (default: the host name)", HelpName = "NAME" };
        var advertise = new Option<string?>("--advertise") { Description = "This machine's IPv4 address that the other nodes reach (default: the first non-loopback one)", HelpName = "IP" };
        Option<int> Port(string name, int fallback, string what) =>
            new(name) { Description = $"{what} port (0: a free one)", DefaultValueFactory = _ => fallback, HelpName = "N" };
        var d = NodePorts.Defaults;
        var api = Port("--api-port", d.Api, "API");
        var edge = Port("--edge-port", d.Edge, "Edge (router)");
        var silo = Port("--silo-port", d.Silo, "Orleans silo-to-silo");
        var gateway = Port("--gateway-port", d.Gateway, "Orleans gateway (edges connect here)");
        var pg = Port("--pg-port", d.Postgres, "PostgreSQL (core without --db)");
        return ([nodeId, advertise, api, edge, silo, gateway, pg], parse => new NodeSetupOptions(parse.GetValue(nodeId), parse.GetValue(advertise),
            new NodePorts(parse.GetValue(api), parse.GetValue(edge), parse.GetValue(silo), parse.GetValue(gateway), parse.GetValue(pg))));
    }
}
