using System.Collections.Immutable;
using Microsoft.Extensions.Logging;

namespace Granary.Tenancy;

/// <summary>The cluster's orgs, spaces and roles (see <see cref="ITenancyGrain"/>).</summary>
public sealed partial class TenancyGrain(
    [PersistentState("tenancy", GrainStorage.Name)] IPersistentState<TenancyState> state,
    TimeProvider time,
    ILogger<TenancyGrain> logger) : Grain, ITenancyGrain
{
    private const int AuditKept = 500;

    private ImmutableSortedDictionary<Guid, OrgRecord> Orgs => WithDefault(state.State.Orgs);

    public Task<ImmutableArray<AuditEntry>> OrgAudit(Guid orgId, int limit) =>
        Task.FromResult(Org(orgId).Audit.Reverse().Take(Math.Clamp(limit, 1, AuditKept)).ToImmutableArray());

    private OrgRecord Audited(OrgRecord org, string type, string message, string actor)
    {
        var audit = org.Audit.Add(new AuditEntry(time.GetUtcNow(), type, message, actor));
        return org with { Audit = audit.Count > AuditKept ? audit.RemoveRange(0, audit.Count - AuditKept) : audit };
    }

    public async Task<OrgInfo> CreateOrg(string name, string actor)
    {
        name = TenancyNames.Validate(name, "org");
        if (Orgs.Values.Any(o => o.Name == name))
            throw new TenancyConflictException($"an org named '{name}' exists already: pick another name");
        var org = Audited(new OrgRecord { Id = Guid.NewGuid(), Name = name, CreatedAt = time.GetUtcNow(), CreatedBy = actor },
            "org.created", $"org {name} created", actor);
        await SaveAsync(Orgs.Add(org.Id, org));
        LogOrgCreated(name, actor);
        return Info(org);
    }

    public Task<ImmutableArray<OrgInfo>> ListOrgs() => Task.FromResult(Orgs.Values.OrderBy(o => o.Name, StringComparer.Ordinal).Select(Info).ToImmutableArray());

    public Task<OrgInfo> GetOrg(string name) => Task.FromResult(Info(FindOrg(name)));

    public async Task DeleteOrg(Guid orgId, string actor)
    {
        var org = Org(orgId);
        if (orgId == ITenancyGrain.DefaultOrgId)
            throw new TenancyConflictException("the default org holds the apps of clusters made before orgs; it cannot be deleted");
        await SaveAsync(Orgs.Remove(orgId));
        LogOrgDeleted(org.Name, actor);
    }

    public async Task<SpaceInfo> CreateSpace(Guid orgId, string name, string actor)
    {
        var org = Org(orgId);
        name = TenancyNames.Validate(name, "space");
        if (org.Spaces.Values.Any(s => s.Name == name))
            throw new TenancyConflictException($"org '{org.Name}' has a space named '{name}' already: pick another name");
        var space = new SpaceRecord { Id = Guid.NewGuid().ToString("N"), Name = name, CreatedAt = time.GetUtcNow() };
        await SaveAsync(Orgs.SetItem(orgId, Audited(org with { Spaces = org.Spaces.Add(space.Id, space) }, "space.created", $"space {name} created", actor)));
        LogSpaceCreated(org.Name, name, actor);
        return new SpaceInfo(space.Id, space.Name, org.Id, org.Name);
    }

    public Task<SpaceInfo?> FindSpace(string spaceId) =>
        Task.FromResult(Orgs.Values.SelectMany(o => o.Spaces.Values.Select(s => (o, s))).Where(x => x.s.Id == spaceId)
            .Select(x => new SpaceInfo(x.s.Id, x.s.Name, x.o.Id, x.o.Name)).Cast<SpaceInfo?>().FirstOrDefault());

    public async Task DeleteSpace(string spaceId, string actor)
    {
        var (org, space) = Space(spaceId);
        if (spaceId == ITenancyGrain.DefaultSpaceId)
            throw new TenancyConflictException("the default space holds the apps of clusters made before spaces; it cannot be deleted");
        await SaveAsync(Orgs.SetItem(org.Id, Audited(org with { Spaces = org.Spaces.Remove(spaceId) }, "space.deleted", $"space {space.Name} deleted", actor)));
        LogSpaceDeleted(org.Name, space.Name, actor);
    }

    public async Task SetOrgRole(Guid orgId, Guid userId, string userName, OrgRole role, string actor)
    {
        var org = Org(orgId);
        await SaveAsync(Orgs.SetItem(orgId, Audited(org with { Roles = Grant(org.Roles, userId, userName, role) },
            "role.set", $"{userName} given {role}", actor)));
        LogRoleSet(userName, role.ToString(), org.Name, actor);
    }

    public async Task UnsetOrgRole(Guid orgId, Guid userId, OrgRole role, string actor)
    {
        var org = Org(orgId);
        var name = org.Roles.GetValueOrDefault(userId)?.UserName ?? userId.ToString();
        await SaveAsync(Orgs.SetItem(orgId, Audited(org with { Roles = Revoke(org.Roles, userId, role) }, "role.unset", $"{name} lost {role}", actor)));
        LogRoleUnset(userId, role.ToString(), org.Name, actor);
    }

    public async Task SetSpaceRole(string spaceId, Guid userId, string userName, SpaceRole role, string actor)
    {
        var (org, space) = Space(spaceId);
        var changed = space with { Roles = Grant(space.Roles, userId, userName, role) };
        // As in Cloud Foundry, a space role makes its holder a user of the org, so the org is listed for them.
        var orgRoles = org.Roles.ContainsKey(userId) ? org.Roles : Grant(org.Roles, userId, userName, OrgRole.OrgUser);
        await SaveAsync(Orgs.SetItem(org.Id, Audited(org with { Roles = orgRoles, Spaces = org.Spaces.SetItem(spaceId, changed) },
            "role.set", $"{userName} given {role} in space {space.Name}", actor)));
        LogRoleSet(userName, role.ToString(), $"{org.Name}/{space.Name}", actor);
    }

    public async Task UnsetSpaceRole(string spaceId, Guid userId, SpaceRole role, string actor)
    {
        var (org, space) = Space(spaceId);
        var changed = space with { Roles = Revoke(space.Roles, userId, role) };
        var name = space.Roles.GetValueOrDefault(userId)?.UserName ?? userId.ToString();
        await SaveAsync(Orgs.SetItem(org.Id, Audited(org with { Spaces = org.Spaces.SetItem(spaceId, changed) },
            "role.unset", $"{name} lost {role} in space {space.Name}", actor)));
        LogRoleUnset(userId, role.ToString(), $"{org.Name}/{space.Name}", actor);
    }

    public Task<ImmutableArray<Member>> OrgMembers(Guid orgId) => Task.FromResult(Members(Org(orgId).Roles));

    public Task<ImmutableArray<Member>> SpaceMembers(string spaceId) => Task.FromResult(Members(Space(spaceId).Space.Roles));

    public Task<CallerScope> ScopeOf(Guid userId, bool admin)
    {
        if (admin)
            return Task.FromResult(CallerScope.ClusterAdmin);
        var orgRoles = ImmutableDictionary.CreateBuilder<Guid, ImmutableArray<OrgRole>>();
        var spaceRoles = ImmutableDictionary.CreateBuilder<string, ImmutableArray<SpaceRole>>();
        var spaceOrgs = ImmutableDictionary.CreateBuilder<string, Guid>();
        foreach (var org in Orgs.Values)
        {
            var inOrg = org.Roles.TryGetValue(userId, out var grant);
            if (inOrg)
                orgRoles[org.Id] = [.. grant!.Roles];
            foreach (var space in org.Spaces.Values)
            {
                if (space.Roles.TryGetValue(userId, out var spaceGrant))
                    spaceRoles[space.Id] = [.. spaceGrant.Roles];
                if (inOrg || spaceRoles.ContainsKey(space.Id))
                    spaceOrgs[space.Id] = org.Id;
            }
        }

        return Task.FromResult(new CallerScope(false, orgRoles.ToImmutable(), spaceRoles.ToImmutable(), spaceOrgs.ToImmutable()));
    }

    public async Task ForgetUser(Guid userId)
    {
        var orgs = Orgs.Values.Select(o => o with
        {
            Roles = o.Roles.Remove(userId),
            Spaces = o.Spaces.Values.Select(s => s with { Roles = s.Roles.Remove(userId) }).ToImmutableSortedDictionary(s => s.Id, s => s, StringComparer.Ordinal),
        }).ToImmutableSortedDictionary(o => o.Id, o => o);
        await SaveAsync(orgs);
    }

    /// <summary>The default org and space exist from the start, so a cluster made before tenancy keeps its apps there.</summary>
    private static ImmutableSortedDictionary<Guid, OrgRecord> WithDefault(ImmutableSortedDictionary<Guid, OrgRecord> orgs) =>
        orgs.ContainsKey(ITenancyGrain.DefaultOrgId)
            ? orgs
            : orgs.Add(ITenancyGrain.DefaultOrgId, new OrgRecord
            {
                Id = ITenancyGrain.DefaultOrgId,
                Name = "default",
                CreatedBy = "granary",
                Spaces = ImmutableSortedDictionary.Create<string, SpaceRecord>(StringComparer.Ordinal)
                    .Add(ITenancyGrain.DefaultSpaceId, new SpaceRecord { Id = ITenancyGrain.DefaultSpaceId, Name = "default" }),
            });

    private static OrgInfo Info(OrgRecord org) => new(org.Id, org.Name, org.CreatedAt, org.CreatedBy,
        [.. org.Spaces.Values.OrderBy(s => s.Name, StringComparer.Ordinal).Select(s => new SpaceInfo(s.Id, s.Name, org.Id, org.Name))]);

    private OrgRecord FindOrg(string name) =>
        Orgs.Values.FirstOrDefault(o => o.Name == TenancyNames.Normalize(name))
        ?? throw new TenancyNotFoundException($"there is no org named '{name}' (granary orgs lists those you can see)");

    private OrgRecord Org(Guid orgId) =>
        Orgs.GetValueOrDefault(orgId) ?? throw new TenancyNotFoundException("that org no longer exists (granary orgs lists those you can see)");

    private (OrgRecord Org, SpaceRecord Space) Space(string spaceId) =>
        Orgs.Values.SelectMany(o => o.Spaces.Values.Select(s => (o, s))).Where(x => x.s.Id == spaceId).Select(x => (x.o, x.s)).FirstOrDefault() is ({ } org, { } space)
            ? (org, space)
            : throw new TenancyNotFoundException("that space no longer exists (granary spaces lists those you can see)");

    private static ImmutableSortedDictionary<Guid, RoleGrant<TRole>> Grant<TRole>(ImmutableSortedDictionary<Guid, RoleGrant<TRole>> roles, Guid userId, string userName, TRole role)
        where TRole : struct, Enum
    {
        var grant = roles.GetValueOrDefault(userId) ?? new RoleGrant<TRole> { UserName = userName };
        return roles.SetItem(userId, grant with { UserName = userName, Roles = grant.Roles.Add(role) });
    }

    private static ImmutableSortedDictionary<Guid, RoleGrant<TRole>> Revoke<TRole>(ImmutableSortedDictionary<Guid, RoleGrant<TRole>> roles, Guid userId, TRole role)
        where TRole : struct, Enum
    {
        if (!roles.TryGetValue(userId, out var grant))
            return roles;
        var left = grant.Roles.Remove(role);
        return left.IsEmpty ? roles.Remove(userId) : roles.SetItem(userId, grant with { Roles = left });
    }

    private static ImmutableArray<Member> Members<TRole>(ImmutableSortedDictionary<Guid, RoleGrant<TRole>> roles) where TRole : struct, Enum =>
        [.. roles.Select(r => new Member(r.Key, r.Value.UserName, [.. r.Value.Roles.Select(x => x.ToString())])).OrderBy(m => m.Name, StringComparer.Ordinal)];

    private Task SaveAsync(ImmutableSortedDictionary<Guid, OrgRecord> orgs) => SaveStateAsync(state.State with { Orgs = orgs });

    private Task SaveStateAsync(TenancyState next) => state.WriteOrRevertAsync(next);

    [LoggerMessage(Level = LogLevel.Information, Message = "Org {Org} created by {Actor}")]
    private partial void LogOrgCreated(string org, string actor);

    [LoggerMessage(Level = LogLevel.Information, Message = "Org {Org} deleted by {Actor}")]
    private partial void LogOrgDeleted(string org, string actor);

    [LoggerMessage(Level = LogLevel.Information, Message = "Space {Org}/{Space} created by {Actor}")]
    private partial void LogSpaceCreated(string org, string space, string actor);

    [LoggerMessage(Level = LogLevel.Information, Message = "Space {Org}/{Space} deleted by {Actor}")]
    private partial void LogSpaceDeleted(string org, string space, string actor);

    [LoggerMessage(Level = LogLevel.Information, Message = "{User} given {Role} in {Where} by {Actor}")]
    private partial void LogRoleSet(string user, string role, string where, string actor);

    [LoggerMessage(Level = LogLevel.Information, Message = "User {User} lost {Role} in {Where} ({Actor})")]
    private partial void LogRoleUnset(Guid user, string role, string where, string actor);
}
