using System.Globalization;
using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text.RegularExpressions;
using Granary.Cli.Api;
using Granary.Cli.Commands;
using Granary.Cli.Config;
using Granary.Cli.Micro;
using Granary.Cli.Postgres;

namespace Granary.Cli.Node;

/// <summary>Flags common to <c>setup core</c> and <c>attach</c>; ports of 0 pick free ones (several nodes on one machine).</summary>
internal sealed record NodeSetupOptions(string? NodeId, string? Advertise, NodePorts Ports);

/// <summary><c>granary node setup core</c> and <c>granary node attach</c>: write this node's config, then start it.</summary>
internal static partial class NodeSetup
{
    public static async Task<int> SetupCoreAsync(CommandContext ctx, NodeSetupOptions options, string domain, string? database, bool withDea,
        CancellationToken ct)
    {
        var paths = new NodePaths(ctx.Store.Home);
        RefuseIfAlreadyANode(paths);
        var advertise = ChooseAdvertise(options.Advertise);
        var ports = ChoosePorts(options.Ports);
        var token = AdminToken.LoadOrCreate(Path.Combine(paths.Dir, "admin-token"));
        var clusterId = "granary-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4));

        var managed = database is null;
        string connectionString;
        try
        {
            connectionString = managed
                ? await new ManagedPostgres(paths.Postgres, advertise).StartAsync(ctx.Console, ctx.Host.Env, ports.Postgres, ct)
                : database!;
            await ManagedPostgres.MigrateAsync(ctx.Console, connectionString, ct);
        }
        catch (Exception e) when (e is Npgsql.NpgsqlException or Granary.Migrations.MigrationFailedException or ArgumentException)
        {
            throw new CliException(managed
                ? $"the node's PostgreSQL is not usable: {e.Message} (log: {Path.Combine(paths.Postgres, "postgres.log")})"
                : $"the database given with --db is not usable: {e.Message}");
        }

        var config = new NodeConfig(NodeIdOrHost(options.NodeId), NodeRoles.Core(withDea), clusterId, advertise, domain, ports,
            connectionString, token, $"http://{advertise}:{ports.Api}", managed, CliVersion.Value);
        config.Save(paths);
        ctx.Console.Line($"Wrote {paths.Config} (node {config.NodeId}, cluster {clusterId}, roles {string.Join(',', config.Roles)})");
        await NodeControl.StartAsync(ctx, paths, config, ct);
        ctx.Store.Save(ctx.Store.LoadFile() with { Api = config.CoreApi, Token = token, Edge = config.Has(NodeRoles.Router) ? config.EdgeUrl : null });

        var coreAddress = ports.Api == NodePorts.Defaults.Api ? advertise : $"{advertise}:{ports.Api}";
        using var api = new GranaryApiClient(config.CoreApi, token);
        var join = await api.IssueJoinTokenAsync(TimeSpan.FromHours(1), ct);
        ctx.Console.Line("");
        ctx.Console.Line($"Core is up. API: {config.CoreApi}   Edge: {config.EdgeUrl}");
        ctx.Console.Line("On each other VM (same Granary version), join this cluster with:");
        ctx.Console.Line($"  granary node attach -e dea {coreAddress} --token {join.Token}");
        ctx.Console.Line($"That join token can do nothing but join, until {join.ExpiresAt:yyyy-MM-dd HH:mm} UTC; ./granary node join-token makes another.");
        ctx.Console.Line($"The cluster's admin token stays on this machine ({ctx.Store.FilePath}, owner-only).");
        return 0;
    }

    public static async Task<int> AttachAsync(CommandContext ctx, NodeSetupOptions options, IReadOnlyList<string> roles, string coreAddress,
        string token, CancellationToken ct)
    {
        var paths = new NodePaths(ctx.Store.Home);
        RefuseIfAlreadyANode(paths);
        var coreApi = CoreApiUrl(coreAddress);
        using var core = new GranaryApiClient(coreApi, token);
        var (info, _) = await core.GetInfoAsync(ct);
        if (VersionMismatch(CliVersion.Value, info.Version) is { } mismatch)
            throw new CliException(mismatch);

        ClusterJoin join;
        try
        {
            join = await core.GetJoinAsync(ct);
        }
        catch (ApiException e) when (e.Status is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
        {
            throw new CliException($"the core at {coreApi} refused the token: make a join token on the core with ./granary node join-token (they expire)");
        }

        var nodeId = NodeIdOrHost(options.NodeId);
        var live = await core.GetClusterNodesAsync(ct);
        if (live.FirstOrDefault(n => n.NodeId == nodeId) is { } taken)
        {
            throw new CliException($"a node named {nodeId} is already in the cluster (silo {taken.Silo}): give this one another name with --node-id " +
                                   "(node names default to the host name, which cloned VMs share)");
        }

        // The join token stays out of node.json: it is no admin token, and this node needs none (its API, if it is a
        // controller, takes users' tokens).
        var config = new NodeConfig(nodeId, roles, join.ClusterId, ChooseAdvertise(options.Advertise), join.Domain, ChoosePorts(options.Ports),
            join.Database, "", coreApi, ManagesPostgres: false, CliVersion.Value);
        config.Save(paths);
        ctx.Console.Line($"Wrote {paths.Config} (node {config.NodeId}, cluster {config.ClusterId}, roles {string.Join(',', roles)})");
        await NodeControl.StartAsync(ctx, paths, config, ct);
        ctx.Store.Save(ctx.Store.LoadFile().LoggedOut() with { Api = coreApi, Edge = join.Edge });
        ctx.Console.Line($"Node {nodeId} joined cluster {config.ClusterId} through {coreApi}; see it with granary status --all " +
                         "(log in first: ./granary login -u NAME)");
        return 0;
    }

    /// <summary>Pure: null when the versions agree, otherwise what to tell the operator.</summary>
    public static string? VersionMismatch(string mine, string? core) =>
        string.Equals(mine, core, StringComparison.Ordinal) ? null
            : $"this node runs Granary {mine} but the core runs {core ?? "an unknown version"}: install Granary {core ?? "(the core's version)"} " +
              "here (nodes of one cluster must run the same version), then attach again";

    /// <summary>Pure: <c>10.0.0.5</c>, <c>10.0.0.5:7701</c> or a URL → the core's API URL.</summary>
    public static string CoreApiUrl(string address)
    {
        var trimmed = address.Trim().TrimEnd('/');
        if (trimmed.Contains("://", StringComparison.Ordinal))
            return trimmed;
        var hasPort = trimmed.LastIndexOf(':') is var colon and > 0 && int.TryParse(trimmed[(colon + 1)..], CultureInfo.InvariantCulture, out _);
        return hasPort ? $"http://{trimmed}" : $"http://{trimmed}:{NodePorts.Defaults.Api}";
    }

    private static void RefuseIfAlreadyANode(NodePaths paths)
    {
        if (NodeConfig.Load(paths) is { } existing)
        {
            throw new CliException($"this machine is already node {existing.NodeId} of cluster {existing.ClusterId} ({paths.Config}): " +
                                   "use granary node start, or granary node remove " + existing.NodeId + " first");
        }
    }

    private static string NodeIdOrHost(string? given)
    {
        var id = (given ?? Dns.GetHostName().Split('.')[0]).ToLowerInvariant();
        return NodeIdPattern().IsMatch(id) ? id
            : throw new UsageException($"'{id}' cannot be a node id: use 1-63 of a-z, 0-9 and -, starting with a letter or digit (--node-id)");
    }

    /// <summary>The given address, else this machine's first IPv4 address on an interface that is up, else loopback.</summary>
    private static string ChooseAdvertise(string? given)
    {
        if (given is not null)
        {
            return IPAddress.TryParse(given, out var ip) && ip.AddressFamily == AddressFamily.InterNetwork ? given
                : throw new UsageException($"--advertise must be this machine's IPv4 address that the other nodes reach, not '{given}'");
        }
        var found = NetworkInterface.GetAllNetworkInterfaces()
            .Where(n => n.OperationalStatus == OperationalStatus.Up && n.NetworkInterfaceType != NetworkInterfaceType.Loopback)
            .SelectMany(n => n.GetIPProperties().UnicastAddresses)
            .Select(a => a.Address)
            .FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork && !IPAddress.IsLoopback(a));
        return found?.ToString() ?? "127.0.0.1";
    }

    private static NodePorts ChoosePorts(NodePorts requested)
    {
        var free = FreePorts.Pick(5);
        return new NodePorts(
            Port(requested.Api, free[0], "--api-port"), Port(requested.Edge, free[1], "--edge-port"),
            Port(requested.Silo, free[2], "--silo-port"), Port(requested.Gateway, free[3], "--gateway-port"),
            Port(requested.Postgres, free[4], "--pg-port"));
    }

    private static int Port(int requested, int free, string option) => requested switch
    {
        0 => free,
        < 1 or > 65535 => throw new UsageException($"{option} must be a TCP port (1-65535) or 0 for a free one"),
        _ => requested,
    };

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{0,62}$")]
    private static partial Regex NodeIdPattern();
}
