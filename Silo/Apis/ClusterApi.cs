using Granary.Cluster;
using Granary.Config;
using Granary.Silo.Auth;
using Granary.Silo.Hosting;
using Granary.Silo.Persistence;
using Microsoft.AspNetCore.Http.HttpResults;
using Orleans.Runtime.MembershipService.SiloMetadata;

namespace Granary.Silo.Apis;

/// <summary>A silo of the cluster as Orleans membership and its metadata describe it.</summary>
/// <param name="Isolation">How its DEA isolates instances (full, none); null for a node without a DEA.</param>
public sealed record ClusterNodeView(string NodeId, IReadOnlyList<string> Roles, string Silo, string Status, int? Pid, string? Version,
    string? Isolation);

/// <summary>What a node needs to join: the cluster id, the database every node shares, the domain and the version.</summary>
public sealed record ClusterJoinView(string ClusterId, string Database, string Domain, string Version, string? Api, string? Edge);

/// <summary>The cluster config: every setting and its version.</summary>
public sealed record ClusterConfigView(long Version, IReadOnlyDictionary<string, string> Values)
{
    public static ClusterConfigView From(ClusterConfigSnapshot snapshot) => new(snapshot.Version, snapshot.Values);
}

/// <summary>POST /v1/cluster/join_tokens: how long the token works (default an hour).</summary>
public sealed record JoinTokenBody(TimeSpan? Ttl = null);

/// <summary>PUT /v1/cluster/config/{key}: the new value, or null to remove the setting.</summary>
public sealed record SetConfigBody(string? Value);

/// <summary>
/// /v1/cluster: the silos of the cluster with their roles (for <c>granary status</c>) and the join call of
/// <c>granary node attach</c>. Joining hands out the database connection string, so it needs the admin role or a join
/// token (<c>granary node join-token</c>), which can do nothing else and expires.
/// </summary>
public static class ClusterApi
{
    public static RouteGroupBuilder MapClusterApi(this RouteGroupBuilder v1)
    {
        v1.MapGet("/cluster/nodes", Nodes).WithTags("Cluster").RequireAuthorization(GranaryClaims.JoinPolicy);
        v1.MapGet("/cluster/join", Join).WithTags("Cluster").RequireAuthorization(GranaryClaims.JoinPolicy);
        v1.MapPost("/cluster/join_tokens", IssueJoinToken).WithTags("Cluster");
        v1.MapGet("/cluster/config", GetConfig).WithTags("Cluster");
        v1.MapPut("/cluster/config/{key}", SetConfig).WithTags("Cluster");
        return v1;
    }

    private static async Task<Ok<ClusterConfigView>> GetConfig(IGrainFactory grains) =>
        TypedResults.Ok(ClusterConfigView.From(await grains.GetGrain<IClusterConfigGrain>(IClusterConfigGrain.Key).Get()));

    /// <summary>Sets (or with <c>value: null</c> removes) one setting; every watching silo and edge applies it at once.</summary>
    private static async Task<Results<Ok<ClusterConfigView>, ProblemHttpResult>> SetConfig(string key, SetConfigBody body, IGrainFactory grains)
    {
        try
        {
            return TypedResults.Ok(ClusterConfigView.From(await grains.GetGrain<IClusterConfigGrain>(IClusterConfigGrain.Key).Set(key, body.Value)));
        }
        catch (InvalidClusterConfigException e)
        {
            return TypedResults.Problem(statusCode: 422, title: "Invalid setting", detail: e.Message);
        }
    }

    /// <summary>Every silo that is not Dead (Orleans keeps dead rows for days), ordered by node id.</summary>
    private static Ok<List<ClusterNodeView>> Nodes(IClusterMembershipService membership, ISiloMetadataCache metadata) =>
        TypedResults.Ok(membership.CurrentSnapshot.Members.Values
            .Where(m => m.Status != SiloStatus.Dead)
            .Select(m => Describe(m, metadata.GetSiloMetadata(m.SiloAddress).Metadata))
            .OrderBy(n => n.NodeId, StringComparer.Ordinal)
            .ToList());

    public static ClusterNodeView Describe(ClusterMember member, IReadOnlyDictionary<string, string> metadata) => new(
        metadata.GetValueOrDefault(SiloRoles.NodeKey) ?? member.Name,
        (metadata.GetValueOrDefault(SiloRoles.RolesKey) ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries),
        member.SiloAddress.ToParsableString(),
        member.Status switch
        {
            SiloStatus.Active => "ACTIVE",
            SiloStatus.Joining or SiloStatus.Created => "JOINING",
            SiloStatus.ShuttingDown or SiloStatus.Stopping => "STOPPING",
            _ => member.Status.ToString().ToUpperInvariant(),
        },
        int.TryParse(metadata.GetValueOrDefault(SiloRoles.PidKey), out var pid) ? pid : null,
        metadata.GetValueOrDefault(SiloRoles.VersionKey),
        metadata.GetValueOrDefault(SiloRoles.IsolationKey) is { Length: > 0 } isolation ? isolation : null);

    /// <summary>A join token for <c>granary node attach</c>: it can read the join details for its lifetime, and nothing else.</summary>
    private static async Task<Results<Ok<JoinTokenIssued>, ProblemHttpResult>> IssueJoinToken(JoinTokenBody body, HttpContext http, IGrainFactory grains)
    {
        var ttl = body.Ttl ?? TimeSpan.FromHours(1);
        if (ttl < TimeSpan.FromMinutes(1) || ttl > JoinTokenGrain.MaxLifetime)
            return TypedResults.Problem(statusCode: 422, title: "Invalid lifetime", detail: "a join token lives from 1 minute to 7 days: send { \"ttl\": \"01:00:00\" }");
        return TypedResults.Ok(await grains.GetGrain<IJoinTokenGrain>(IJoinTokenGrain.Key).Issue(ttl, GranaryClaims.NameOf(http.User)));
    }

    private static Results<Ok<ClusterJoinView>, ProblemHttpResult> Join(NodeSettings node, IConfiguration configuration)
    {
        if (DatabaseSettings.From(configuration) is not { } database)
        {
            return TypedResults.Problem(statusCode: 409, title: "No shared database",
                detail: "this cloud keeps its state in memory (micro up --ephemeral): nodes can only join a cluster set up with " +
                        "granary node setup core, or one whose silos have Granary:Database set");
        }

        return TypedResults.Ok(new ClusterJoinView(configuration["Orleans:ClusterId"] ?? "granary", database.ConnectionString,
            node.Domain, InfoApi.Version, node.ApiUrl, node.EdgeUrl));
    }
}
