using System.Collections.Immutable;

namespace Granary.Tenancy;

/// <summary>
/// The cluster's orgs, their spaces, and who holds which role in each (Cloud Foundry's model). One grain, key
/// <c>cluster</c>. Orgs and spaces are named by id everywhere else; a new space's id is the key of its space grain.
/// A cluster made before tenancy gets org <c>default</c> with space <c>default</c> (id <c>default</c>), where its apps are.
/// </summary>
public interface ITenancyGrain : IGrainWithStringKey
{
    public const string Key = "cluster";

    /// <summary>The default org's id: it holds the apps of clusters made before orgs existed.</summary>
    public static readonly Guid DefaultOrgId = new("00000000-0000-0000-0000-00000000d5f1");

    public const string DefaultSpaceId = "default";

    Task<OrgInfo> CreateOrg(string name, string actor);

    Task<ImmutableArray<OrgInfo>> ListOrgs();

    /// <summary>The org of that name; throws <see cref="TenancyNotFoundException"/>.</summary>
    Task<OrgInfo> GetOrg(string name);

    /// <summary>Forgets an org whose spaces hold nothing any more (the caller emptied them first).</summary>
    Task DeleteOrg(Guid orgId, string actor);

    Task<SpaceInfo> CreateSpace(Guid orgId, string name, string actor);

    /// <summary>The space of that id, or null.</summary>
    Task<SpaceInfo?> FindSpace(string spaceId);

    Task DeleteSpace(string spaceId, string actor);

    Task SetOrgRole(Guid orgId, Guid userId, string userName, OrgRole role, string actor);

    Task UnsetOrgRole(Guid orgId, Guid userId, OrgRole role, string actor);

    /// <summary>Grants a space role; the user also becomes an OrgUser of the space's org, as in Cloud Foundry.</summary>
    Task SetSpaceRole(string spaceId, Guid userId, string userName, SpaceRole role, string actor);

    Task UnsetSpaceRole(string spaceId, Guid userId, SpaceRole role, string actor);

    Task<ImmutableArray<Member>> OrgMembers(Guid orgId);

    Task<ImmutableArray<Member>> SpaceMembers(string spaceId);

    /// <summary>Every role of one user (and whether the cluster admin role makes them all moot).</summary>
    Task<CallerScope> ScopeOf(Guid userId, bool admin);

    /// <summary>The org's own changes (spaces created and deleted, roles given and taken), newest first.</summary>
    Task<ImmutableArray<AuditEntry>> OrgAudit(Guid orgId, int limit);

    /// <summary>Creates or replaces a quota plan: an org plan, or with <paramref name="forSpaces"/> a space plan.</summary>
    Task<QuotaPlan> SetQuotaPlan(QuotaPlan plan, bool forSpaces, string actor);

    Task<ImmutableArray<QuotaPlan>> QuotaPlans(bool forSpaces);

    /// <summary>Puts an org under a plan (null: none); refused if its use already passes the plan.</summary>
    Task AssignOrgQuota(Guid orgId, string? plan, string actor);

    Task AssignSpaceQuota(string spaceId, string? plan, string actor);

    /// <summary>
    /// Records what an app will take (null: the app is gone) after checking its space's and org's quotas; throws
    /// <see cref="QuotaExceededException"/> and records nothing when it would pass one. One grain decides every
    /// check in turn, so two requests can never pass a limit together.
    /// </summary>
    Task Reserve(string spaceId, Guid appId, Footprint? footprint);

    /// <summary>Moves a reservation made before the app had its id.</summary>
    Task Rekey(string spaceId, Guid from, Guid to);

    /// <summary>An org's use, its plan, and each space's use and plan.</summary>
    Task<(QuotaUsage Usage, QuotaPlan? Plan)> OrgUsage(Guid orgId);

    /// <summary>Drops every role of a deleted user.</summary>
    Task ForgetUser(Guid userId);
}
