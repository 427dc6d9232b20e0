using System.Collections.Immutable;

namespace Granary.Tenancy;

/// <summary>What the tenancy grain stores; property names are the stored JSON's schema.</summary>
public sealed record TenancyState
{
    public ImmutableSortedDictionary<Guid, OrgRecord> Orgs { get; init; } = ImmutableSortedDictionary<Guid, OrgRecord>.Empty;

    /// <summary>Org quota plans by name.</summary>
    public ImmutableSortedDictionary<string, QuotaPlan> OrgQuotas { get; init; } = ImmutableSortedDictionary<string, QuotaPlan>.Empty;

    /// <summary>Space quota plans by name.</summary>
    public ImmutableSortedDictionary<string, QuotaPlan> SpaceQuotas { get; init; } = ImmutableSortedDictionary<string, QuotaPlan>.Empty;
}

public sealed record OrgRecord
{
    public Guid Id { get; init; }

    public string Name { get; init; } = "";

    public DateTimeOffset CreatedAt { get; init; }

    public string CreatedBy { get; init; } = "";

    /// <summary>Spaces by id.</summary>
    public ImmutableSortedDictionary<string, SpaceRecord> Spaces { get; init; } = ImmutableSortedDictionary<string, SpaceRecord>.Empty;

    public ImmutableSortedDictionary<Guid, RoleGrant<OrgRole>> Roles { get; init; } = ImmutableSortedDictionary<Guid, RoleGrant<OrgRole>>.Empty;

    /// <summary>The org quota plan in force, if any.</summary>
    public string? Quota { get; init; }

    /// <summary>The org's own changes (spaces, roles), newest last; bounded.</summary>
    public ImmutableList<AuditEntry> Audit { get; init; } = [];
}

public sealed record SpaceRecord
{
    public string Id { get; init; } = "";

    public string Name { get; init; } = "";

    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>The space quota plan in force, if any.</summary>
    public string? Quota { get; init; }

    public ImmutableSortedDictionary<Guid, RoleGrant<SpaceRole>> Roles { get; init; } = ImmutableSortedDictionary<Guid, RoleGrant<SpaceRole>>.Empty;
}

/// <summary>One user's roles in an org or space; the name is kept for listings.</summary>
public sealed record RoleGrant<TRole> where TRole : struct, Enum
{
    public string UserName { get; init; } = "";

    public ImmutableSortedSet<TRole> Roles { get; init; } = ImmutableSortedSet<TRole>.Empty;
}
