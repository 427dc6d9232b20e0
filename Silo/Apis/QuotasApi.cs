using Granary.Silo.Auth;
using Granary.Tenancy;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Granary.Silo.Apis;

/// <summary>POST /v1/quotas and /v1/space_quotas: a plan's limits; a missing limit is unlimited.</summary>
public sealed record QuotaBody(string? Name, int? MemoryMb, int? Instances, int? Apps, int? Routes, int? Services, int? InstanceMemoryMb)
{
    public QuotaPlan ToPlan() => new(Name ?? "", MemoryMb, Instances, Apps, Routes, Services, InstanceMemoryMb);
}

/// <summary>PUT …/quota: the plan to put an org or space under, or null for none.</summary>
public sealed record AssignQuotaBody(string? Quota);

/// <summary>An org's use against its plan.</summary>
public sealed record OrgUsageView(string Org, QuotaUsage Usage, QuotaPlan? Quota);

/// <summary>
/// Quotas (Cloud Foundry's org and space quotas; Stackato's limits): admins define plans and put orgs under them; org
/// managers put their spaces under space plans. Push, scale, start and map-route past a limit are refused before
/// anything changes (<see cref="QuotaCheck"/>).
/// </summary>
public static class QuotasApi
{
    public static RouteGroupBuilder MapQuotasApi(this RouteGroupBuilder v1)
    {
        v1.MapGet("/quotas", (IGrainFactory grains) => List(grains, forSpaces: false)).WithTags("Quotas");
        v1.MapPost("/quotas", (QuotaBody body, HttpContext http, IGrainFactory grains) => Set(body, http, grains, forSpaces: false)).WithTags("Quotas");
        v1.MapGet("/space_quotas", (IGrainFactory grains) => List(grains, forSpaces: true)).WithTags("Quotas");
        v1.MapPost("/space_quotas", (QuotaBody body, HttpContext http, IGrainFactory grains) => Set(body, http, grains, forSpaces: true)).WithTags("Quotas");
        v1.MapPut("/orgs/{org}/quota", AssignOrg).WithTags("Quotas");
        v1.MapPut("/orgs/{org}/spaces/{space}/quota", AssignSpace).WithTags("Quotas").RequireAuthorization(GranaryClaims.UserPolicy);
        v1.MapGet("/orgs/{org}/usage", Usage).WithTags("Quotas").RequireAuthorization(GranaryClaims.UserPolicy);
        return v1;
    }

    private static ITenancyGrain Tenancy(IGrainFactory grains) => grains.GetGrain<ITenancyGrain>(ITenancyGrain.Key);

    private static async Task<Ok<List<QuotaPlan>>> List(IGrainFactory grains, bool forSpaces) =>
        TypedResults.Ok((await Tenancy(grains).QuotaPlans(forSpaces)).ToList());

    private static async Task<Ok<QuotaPlan>> Set(QuotaBody body, HttpContext http, IGrainFactory grains, bool forSpaces) =>
        TypedResults.Ok(await Tenancy(grains).SetQuotaPlan(body.ToPlan(), forSpaces, GranaryClaims.NameOf(http.User)));

    private static async Task<NoContent> AssignOrg(string org, AssignQuotaBody body, HttpContext http, IGrainFactory grains)
    {
        var (info, _) = await OrgsApi.VisibleOrgAsync(http, grains, org);
        await Tenancy(grains).AssignOrgQuota(info.Id, body.Quota, GranaryClaims.NameOf(http.User));
        return TypedResults.NoContent();
    }

    private static async Task<NoContent> AssignSpace(string org, string space, AssignQuotaBody body, HttpContext http, IGrainFactory grains)
    {
        var (info, scope, target) = await OrgsApi.VisibleSpaceAsync(http, grains, org, space);
        if (!TenancyAccess.ManagesOrg(scope, info.Id))
            throw new ForbiddenException($"space quotas in org '{info.Name}' are set by its OrgManagers");
        await Tenancy(grains).AssignSpaceQuota(target.Id, body.Quota, GranaryClaims.NameOf(http.User));
        return TypedResults.NoContent();
    }

    private static async Task<Ok<OrgUsageView>> Usage(string org, HttpContext http, IGrainFactory grains)
    {
        var (info, _) = await OrgsApi.VisibleOrgAsync(http, grains, org);
        var (usage, plan) = await Tenancy(grains).OrgUsage(info.Id);
        return TypedResults.Ok(new OrgUsageView(info.Name, usage, plan));
    }
}
