namespace Granary.Cli.Api;

/// <summary>GET /v1/cluster/nodes: one live silo with its node id, roles, process id and version.</summary>
internal sealed record ClusterNode(string NodeId, List<string> Roles, string Silo, string Status, int? Pid, string? Version,
    string? Isolation = null);

/// <summary>GET /v1/cluster/join: what <c>node attach</c> needs to join the core's cluster.</summary>
internal sealed record ClusterJoin(string ClusterId, string Database, string Domain, string Version, string? Api, string? Edge);

/// <summary>GET /v1/cluster/config: the cluster-wide settings and their version.</summary>
internal sealed record ClusterConfigView(long Version, Dictionary<string, string> Values);

internal sealed record SetConfigRequest(string? Value);

internal sealed record JoinTokenEntry(string Token, DateTimeOffset ExpiresAt);

internal sealed record JoinTokenRequest(TimeSpan Ttl);
