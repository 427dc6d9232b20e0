using Granary.Apps;
using Granary.Silo.Auth;
using Granary.Tenancy;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Granary.Silo.Apis;

/// <summary>One change in an org: to the org itself (<c>space</c> and <c>app</c> null), or to an app of one of its spaces.</summary>
public sealed record AuditEventView(DateTimeOffset Time, string Type, string Message, string Actor, string? Space, string? App);

/// <summary>
/// GET /v1/orgs/{org}/audit_events: who changed what in an org, newest first: its spaces and roles, and the events of
/// the apps in its spaces. For the org's managers and auditors, and admins.
/// </summary>
public static class AuditApi
{
    public static RouteGroupBuilder MapAuditApi(this RouteGroupBuilder v1)
    {
        v1.MapGet("/orgs/{org}/audit_events", List).WithTags("Orgs").RequireAuthorization(GranaryClaims.UserPolicy);
        return v1;
    }

    private static async Task<Ok<List<AuditEventView>>> List(string org, int? limit, HttpContext http, IGrainFactory grains)
    {
        var (info, scope) = await OrgsApi.VisibleOrgAsync(http, grains, org);
        if (!scope.Admin && !scope.OrgRoles.GetValueOrDefault(info.Id, []).Any(r => r is OrgRole.OrgManager or OrgRole.OrgAuditor))
            throw new ForbiddenException($"the audit events of org '{info.Name}' need the OrgManager or OrgAuditor role there");
        var take = Math.Clamp(limit ?? 100, 1, 500);
        var events = new List<AuditEventView>();
        foreach (var entry in await grains.GetGrain<ITenancyGrain>(ITenancyGrain.Key).OrgAudit(info.Id, take))
            events.Add(new AuditEventView(entry.Time, entry.Type, entry.Message, entry.Actor, null, null));
        foreach (var space in info.Spaces)
        {
            foreach (var id in await grains.GetGrain<ISpaceGrain>(space.Id).ListApps())
            {
                var app = grains.GetGrain<IAppGrain>(id);
                var name = (await app.Get())?.Spec.Name ?? id.ToString();
                events.AddRange((await app.GetEvents(take)).Select(e =>
                    new AuditEventView(e.Time, e.Type, e.Message, e.Actor ?? Granary.Users.Actor.Platform, space.Name, name)));
            }
        }

        return TypedResults.Ok(events.OrderByDescending(e => e.Time).Take(take).ToList());
    }
}
