using System.Collections.Immutable;

namespace Granary.Tenancy;

/// <summary>Cloud Foundry v3's org roles.</summary>
public enum OrgRole
{
    OrgManager = 1,
    OrgAuditor = 2,
    OrgUser = 3,
}

/// <summary>Cloud Foundry v3's space roles.</summary>
public enum SpaceRole
{
    SpaceManager = 1,
    SpaceDeveloper = 2,
    SpaceAuditor = 3,
}

/// <summary>A space: its id (the key of its space grain) and name, unique within its org.</summary>
[GenerateSerializer, Immutable, Alias("granary.space-info")]
public sealed record SpaceInfo(
    [property: Id(0)] string Id,
    [property: Id(1)] string Name,
    [property: Id(2)] Guid OrgId,
    [property: Id(3)] string OrgName);

/// <summary>An org and its spaces; names are unique cluster-wide for orgs.</summary>
[GenerateSerializer, Immutable, Alias("granary.org-info")]
public sealed record OrgInfo(
    [property: Id(0)] Guid Id,
    [property: Id(1)] string Name,
    [property: Id(2)] DateTimeOffset CreatedAt,
    [property: Id(3)] string CreatedBy,
    [property: Id(4)] ImmutableArray<SpaceInfo> Spaces);

/// <summary>A user's roles in one org or space.</summary>
[GenerateSerializer, Immutable, Alias("granary.member")]
public sealed record Member(
    [property: Id(0)] Guid UserId,
    [property: Id(1)] string Name,
    [property: Id(2)] ImmutableArray<string> Roles);

/// <summary>Every role one user holds, for the access decisions of one request.</summary>
[GenerateSerializer, Immutable, Alias("granary.caller-scope")]
public sealed record CallerScope(
    [property: Id(0)] bool Admin,
    [property: Id(1)] ImmutableDictionary<Guid, ImmutableArray<OrgRole>> OrgRoles,
    [property: Id(2)] ImmutableDictionary<string, ImmutableArray<SpaceRole>> SpaceRoles,
    [property: Id(3)] ImmutableDictionary<string, Guid> SpaceOrgs)
{
    public static CallerScope ClusterAdmin { get; } = new(true, ImmutableDictionary<Guid, ImmutableArray<OrgRole>>.Empty,
        ImmutableDictionary<string, ImmutableArray<SpaceRole>>.Empty, ImmutableDictionary<string, Guid>.Empty);
}

/// <summary>One change to an org or its spaces and roles, and who made it.</summary>
[GenerateSerializer, Immutable, Alias("granary.audit-entry")]
public sealed record AuditEntry(
    [property: Id(0)] DateTimeOffset Time,
    [property: Id(1)] string Type,
    [property: Id(2)] string Message,
    [property: Id(3)] string Actor);

/// <summary>No org or space of that name or id that the caller may see.</summary>
[GenerateSerializer, Alias("granary.tenancy-not-found")]
public sealed class TenancyNotFoundException(string message) : Exception(message);

/// <summary>A name is taken, or the org or space is not empty; the message says which and what to do.</summary>
[GenerateSerializer, Alias("granary.tenancy-conflict")]
public sealed class TenancyConflictException(string message) : Exception(message);

/// <summary>A name or role breaks a rule; the message says which.</summary>
[GenerateSerializer, Alias("granary.invalid-tenancy")]
public sealed class InvalidTenancyException(string message) : Exception(message);
