using Granary.Apps;
using Granary.Silo.Auth;
using Granary.Tenancy;
using Granary.Users;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Granary.Silo.Apis;

/// <summary>
/// /v1/orgs: orgs, their spaces and who holds which role, with Cloud Foundry's rules. An org or space the caller
/// holds no role in answers 404, so its existence does not leak; one they see but may not change answers 403
/// naming the role that may.
/// </summary>
public static class OrgsApi
{
    public static RouteGroupBuilder MapOrgsApi(this RouteGroupBuilder v1)
    {
        var orgs = v1.MapGroup("/orgs").WithTags("Orgs").RequireAuthorization(GranaryClaims.UserPolicy);
        orgs.MapGet("/", List);
        orgs.MapPost("/", Create).RequireAuthorization(GranaryClaims.AdminPolicy);
        orgs.MapGet("/{org}", Get);
        orgs.MapDelete("/{org}", Delete).RequireAuthorization(GranaryClaims.AdminPolicy);
        orgs.MapPost("/{org}/spaces", CreateSpace);
        orgs.MapDelete("/{org}/spaces/{space}", DeleteSpace);
        orgs.MapGet("/{org}/users", OrgUsers);
        orgs.MapPut("/{org}/users/{user}/roles/{role}", SetOrgRole);
        orgs.MapDelete("/{org}/users/{user}/roles/{role}", UnsetOrgRole);
        orgs.MapGet("/{org}/spaces/{space}/users", SpaceUsers);
        orgs.MapPut("/{org}/spaces/{space}/users/{user}/roles/{role}", SetSpaceRole);
        orgs.MapDelete("/{org}/spaces/{space}/users/{user}/roles/{role}", UnsetSpaceRole);
        return v1;
    }

    private static ITenancyGrain Tenancy(IGrainFactory grains) => grains.GetGrain<ITenancyGrain>(ITenancyGrain.Key);

    private static async Task<Ok<List<OrgView>>> List(HttpContext http, IGrainFactory grains)
    {
        var scope = await http.ScopeAsync(grains);
        var orgs = await Tenancy(grains).ListOrgs();
        return TypedResults.Ok(orgs.Where(o => TenancyAccess.SeesOrg(scope, o.Id)).Select(o => View(o, scope)).ToList());
    }

    private static async Task<Created<OrgView>> Create(NameBody body, HttpContext http, IGrainFactory grains)
    {
        var org = await Tenancy(grains).CreateOrg(body.Name ?? "", GranaryClaims.NameOf(http.User));
        return TypedResults.Created($"/v1/orgs/{org.Name}", View(org, CallerScope.ClusterAdmin));
    }

    private static async Task<Ok<OrgView>> Get(string org, HttpContext http, IGrainFactory grains)
    {
        var (info, scope) = await VisibleOrgAsync(http, grains, org);
        return TypedResults.Ok(View(info, scope));
    }

    /// <summary>Refused while any space holds apps, unless <c>force</c>: then its apps go first (routes with them), then the org.</summary>
    private static async Task<Ok<DeletedView>> Delete(string org, bool? force, HttpContext http, IGrainFactory grains)
    {
        var (info, _) = await VisibleOrgAsync(http, grains, org);
        var apps = new List<string>();
        foreach (var space in info.Spaces)
            apps.AddRange(await EmptySpaceAsync(grains, space, force == true));
        await Tenancy(grains).DeleteOrg(info.Id, GranaryClaims.NameOf(http.User));
        return TypedResults.Ok(new DeletedView(apps, [.. info.Spaces.Select(s => s.Name)]));
    }

    private static async Task<Created<SpaceView>> CreateSpace(string org, NameBody body, HttpContext http, IGrainFactory grains)
    {
        var (info, scope) = await VisibleOrgAsync(http, grains, org);
        if (!TenancyAccess.ManagesOrg(scope, info.Id))
            throw new ForbiddenException($"creating spaces in org '{info.Name}' needs the OrgManager role there");
        var space = await Tenancy(grains).CreateSpace(info.Id, body.Name ?? "", GranaryClaims.NameOf(http.User));
        return TypedResults.Created($"/v1/orgs/{info.Name}/spaces/{space.Name}", SpaceView.From(space));
    }

    private static async Task<Ok<DeletedView>> DeleteSpace(string org, string space, bool? force, HttpContext http, IGrainFactory grains)
    {
        var (info, scope, target) = await VisibleSpaceAsync(http, grains, org, space);
        if (!TenancyAccess.ManagesOrg(scope, info.Id))
            throw new ForbiddenException($"deleting spaces of org '{info.Name}' needs the OrgManager role there");
        var apps = await EmptySpaceAsync(grains, target, force == true);
        await Tenancy(grains).DeleteSpace(target.Id, GranaryClaims.NameOf(http.User));
        return TypedResults.Ok(new DeletedView(apps, [target.Name]));
    }

    private static async Task<Ok<List<MemberView>>> OrgUsers(string org, HttpContext http, IGrainFactory grains)
    {
        var (info, _) = await VisibleOrgAsync(http, grains, org);
        return TypedResults.Ok((await Tenancy(grains).OrgMembers(info.Id)).Select(m => new MemberView(m.Name, m.Roles)).ToList());
    }

    private static async Task<NoContent> SetOrgRole(string org, string user, string role, HttpContext http, IGrainFactory grains)
    {
        var (info, scope) = await VisibleOrgAsync(http, grains, org);
        var parsed = RoleNames.TryOrg(role, out var r) ? r : throw new InvalidTenancyException($"'{role}' is not an org role: use {RoleNames.OrgRoles}");
        RequireOrgManager(scope, info);
        var target = await UserAsync(grains, user);
        await Tenancy(grains).SetOrgRole(info.Id, target.Id, target.Name, parsed, GranaryClaims.NameOf(http.User));
        return TypedResults.NoContent();
    }

    private static async Task<NoContent> UnsetOrgRole(string org, string user, string role, HttpContext http, IGrainFactory grains)
    {
        var (info, scope) = await VisibleOrgAsync(http, grains, org);
        var parsed = RoleNames.TryOrg(role, out var r) ? r : throw new InvalidTenancyException($"'{role}' is not an org role: use {RoleNames.OrgRoles}");
        RequireOrgManager(scope, info);
        var target = await UserAsync(grains, user);
        await Tenancy(grains).UnsetOrgRole(info.Id, target.Id, parsed, GranaryClaims.NameOf(http.User));
        return TypedResults.NoContent();
    }

    private static async Task<Ok<List<MemberView>>> SpaceUsers(string org, string space, HttpContext http, IGrainFactory grains)
    {
        var (_, _, target) = await VisibleSpaceAsync(http, grains, org, space);
        return TypedResults.Ok((await Tenancy(grains).SpaceMembers(target.Id)).Select(m => new MemberView(m.Name, m.Roles)).ToList());
    }

    private static async Task<NoContent> SetSpaceRole(string org, string space, string user, string role, HttpContext http, IGrainFactory grains)
    {
        var (_, scope, target) = await VisibleSpaceAsync(http, grains, org, space);
        var parsed = RoleNames.TrySpace(role, out var r) ? r : throw new InvalidTenancyException($"'{role}' is not a space role: use {RoleNames.SpaceRoles}");
        RequireSpaceManager(scope, target);
        var member = await UserAsync(grains, user);
        await Tenancy(grains).SetSpaceRole(target.Id, member.Id, member.Name, parsed, GranaryClaims.NameOf(http.User));
        return TypedResults.NoContent();
    }

    private static async Task<NoContent> UnsetSpaceRole(string org, string space, string user, string role, HttpContext http, IGrainFactory grains)
    {
        var (_, scope, target) = await VisibleSpaceAsync(http, grains, org, space);
        var parsed = RoleNames.TrySpace(role, out var r) ? r : throw new InvalidTenancyException($"'{role}' is not a space role: use {RoleNames.SpaceRoles}");
        RequireSpaceManager(scope, target);
        var member = await UserAsync(grains, user);
        await Tenancy(grains).UnsetSpaceRole(target.Id, member.Id, parsed, GranaryClaims.NameOf(http.User));
        return TypedResults.NoContent();
    }

    /// <summary>The org, if the caller may know it exists; otherwise the same 404 as for an org that does not.</summary>
    internal static async Task<(OrgInfo Org, CallerScope Scope)> VisibleOrgAsync(HttpContext http, IGrainFactory grains, string name)
    {
        var scope = await http.ScopeAsync(grains);
        var orgs = await Tenancy(grains).ListOrgs();
        var org = orgs.FirstOrDefault(o => o.Name == TenancyNames.Normalize(name));
        return org is not null && TenancyAccess.SeesOrg(scope, org.Id)
            ? (org, scope)
            : throw new TenancyNotFoundException($"there is no org named '{name}' that you can see (granary orgs lists them)");
    }

    internal static async Task<(OrgInfo Org, CallerScope Scope, SpaceInfo Space)> VisibleSpaceAsync(HttpContext http, IGrainFactory grains, string org, string space)
    {
        var (info, scope) = await VisibleOrgAsync(http, grains, org);
        var target = info.Spaces.FirstOrDefault(s => s.Name == TenancyNames.Normalize(space));
        return target is not null && (TenancyAccess.SeesSpace(scope, target.Id) || TenancyAccess.ManagesOrg(scope, info.Id))
            ? (info, scope, target)
            : throw new TenancyNotFoundException($"org '{info.Name}' has no space named '{space}' that you can see (granary spaces -o {info.Name})");
    }

    private static void RequireOrgManager(CallerScope scope, OrgInfo org)
    {
        if (!TenancyAccess.ManagesOrg(scope, org.Id))
            throw new ForbiddenException($"this needs the OrgManager role in org '{org.Name}'");
    }

    private static void RequireSpaceManager(CallerScope scope, SpaceInfo space)
    {
        if (!TenancyAccess.ManagesSpace(scope, space.Id))
            throw new ForbiddenException($"this needs the SpaceManager role in space '{space.OrgName}/{space.Name}' (or OrgManager in its org)");
    }

    private static async Task<UserInfo> UserAsync(IGrainFactory grains, string name) =>
        (await grains.GetGrain<IUserDirectoryGrain>(IUserDirectoryGrain.Key).List()).FirstOrDefault(u => u.Name == UserRules.NormalizeName(name))
        ?? throw new UserNotFoundException($"there is no user named '{name}'");

    /// <summary>Refuses a space with apps unless forced; forced, deletes them (their routes go with them) and names them.</summary>
    private static async Task<List<string>> EmptySpaceAsync(IGrainFactory grains, SpaceInfo space, bool force)
    {
        var ids = await grains.GetGrain<ISpaceGrain>(space.Id).ListApps();
        if (ids.IsEmpty)
            return [];
        var names = new List<string>();
        foreach (var id in ids)
            names.Add((await grains.GetGrain<IAppGrain>(id).Get())?.Spec.Name ?? id.ToString());
        if (!force)
            throw new TenancyConflictException($"space '{space.OrgName}/{space.Name}' still has {ids.Length} app(s) ({string.Join(", ", names)}): delete them, or pass force to delete them too");
        foreach (var id in ids)
        {
            await grains.GetGrain<IAppGrain>(id).Delete();
            await Tenancy(grains).Reserve(space.Id, id, null);
        }
        return [.. names.Select(n => $"{space.Name}/{n}")];
    }

    private static OrgView View(OrgInfo org, CallerScope scope) =>
        new(org.Id, org.Name, org.CreatedAt, org.CreatedBy,
            [.. org.Spaces.Where(s => TenancyAccess.SeesSpace(scope, s.Id) || TenancyAccess.ManagesOrg(scope, org.Id)).Select(SpaceView.From)]);
}
