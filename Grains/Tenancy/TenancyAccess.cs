namespace Granary.Tenancy;

/// <summary>What a caller may do with the objects of one space.</summary>
public enum SpaceAccess
{
    /// <summary>Not even that it exists: the API answers 404.</summary>
    None = 0,

    /// <summary>See its apps, routes, events and logs, but not env values or service credentials (auditors, managers).</summary>
    Read = 1,

    /// <summary>Change them, and read env values (developers, cluster admins).</summary>
    Write = 2,
}

/// <summary>
/// Pure: Cloud Foundry's role rules over a <see cref="CallerScope"/>. Developers change a space's apps, routes and
/// services; space managers and auditors, and the org's managers and auditors, see them; org users see the org only.
/// </summary>
public static class TenancyAccess
{
    public const string WriteRole = nameof(SpaceRole.SpaceDeveloper);

    public static SpaceAccess ToSpace(CallerScope scope, string spaceId)
    {
        if (scope.Admin)
            return SpaceAccess.Write;
        var roles = scope.SpaceRoles.GetValueOrDefault(spaceId, []);
        if (roles.Contains(SpaceRole.SpaceDeveloper))
            return SpaceAccess.Write;
        if (!roles.IsDefaultOrEmpty)
            return SpaceAccess.Read;
        return scope.SpaceOrgs.TryGetValue(spaceId, out var org)
            && scope.OrgRoles.GetValueOrDefault(org, []).Any(r => r is OrgRole.OrgManager or OrgRole.OrgAuditor)
            ? SpaceAccess.Read
            : SpaceAccess.None;
    }

    /// <summary>Whether the caller may know the org exists: any role in it or in one of its spaces.</summary>
    public static bool SeesOrg(CallerScope scope, Guid orgId) =>
        scope.Admin || scope.OrgRoles.ContainsKey(orgId) || scope.SpaceOrgs.Any(s => s.Value == orgId && scope.SpaceRoles.ContainsKey(s.Key));

    /// <summary>Whether the caller may see the space in listings: a role in it, or a manager's or auditor's role in its org.</summary>
    public static bool SeesSpace(CallerScope scope, string spaceId) => ToSpace(scope, spaceId) != SpaceAccess.None;

    /// <summary>Org managers (and admins) create and delete spaces and give org roles.</summary>
    public static bool ManagesOrg(CallerScope scope, Guid orgId) =>
        scope.Admin || scope.OrgRoles.GetValueOrDefault(orgId, []).Contains(OrgRole.OrgManager);

    /// <summary>Space managers, the org's managers and admins give space roles.</summary>
    public static bool ManagesSpace(CallerScope scope, string spaceId) =>
        scope.Admin
        || scope.SpaceRoles.GetValueOrDefault(spaceId, []).Contains(SpaceRole.SpaceManager)
        || (scope.SpaceOrgs.TryGetValue(spaceId, out var org) && ManagesOrg(scope, org));
}
