using System.Collections.Immutable;
using Granary.Apps;

namespace Granary.Tenancy;

/// <summary>Quotas: plans, which org and space uses which, and a ledger of what each app takes.</summary>
public sealed partial class TenancyGrain
{
    // What each app takes, by space. Rebuilt from the apps themselves on activation, so it is never stale for long.
    private Dictionary<string, Dictionary<Guid, Footprint>>? _ledger;

    /// <summary>What an app takes: a stopped one holds no instances or memory, only its name and routes.</summary>
    public static Footprint FootprintOf(AppSpec spec, int routes) => spec.State == AppState.Started
        ? new Footprint(spec.Instances, spec.Instances * spec.MemoryMb, routes, spec.MemoryMb)
        : new Footprint(0, 0, routes, spec.MemoryMb);

    public async Task<QuotaPlan> SetQuotaPlan(QuotaPlan plan, bool forSpaces, string actor)
    {
        var named = plan with { Name = TenancyNames.Validate(plan.Name, "quota") };
        if (new[] { named.MemoryMb, named.Instances, named.Apps, named.Routes, named.Services, named.InstanceMemoryMb }.Any(v => v < 0))
            throw new InvalidTenancyException("quota limits are sizes and counts of 0 or more");
        var state2 = forSpaces
            ? state.State with { SpaceQuotas = state.State.SpaceQuotas.SetItem(named.Name, named) }
            : state.State with { OrgQuotas = state.State.OrgQuotas.SetItem(named.Name, named) };
        await SaveStateAsync(state2 with { Orgs = Orgs });
        return named;
    }

    public Task<ImmutableArray<QuotaPlan>> QuotaPlans(bool forSpaces) =>
        Task.FromResult((forSpaces ? state.State.SpaceQuotas : state.State.OrgQuotas).Values.ToImmutableArray());

    public async Task AssignOrgQuota(Guid orgId, string? plan, string actor)
    {
        var org = Org(orgId);
        var quota = plan is null ? null : state.State.OrgQuotas.GetValueOrDefault(TenancyNames.Normalize(plan))
            ?? throw new TenancyNotFoundException($"there is no org quota named '{plan}' (granary quotas lists them)");
        await EnsureLedgerAsync();
        if (quota is not null && Overflows(quota, UsageOfOrg(org)) is { } over)
            throw new QuotaExceededException($"org '{org.Name}' already uses more than quota '{quota.Name}' allows: {over}");
        await SaveAsync(Orgs.SetItem(orgId, Audited(org with { Quota = quota?.Name }, "quota.set", $"org quota {quota?.Name ?? "(none)"}", actor)));
    }

    public async Task AssignSpaceQuota(string spaceId, string? plan, string actor)
    {
        var (org, space) = Space(spaceId);
        var quota = plan is null ? null : state.State.SpaceQuotas.GetValueOrDefault(TenancyNames.Normalize(plan))
            ?? throw new TenancyNotFoundException($"there is no space quota named '{plan}' (granary space-quotas lists them)");
        await EnsureLedgerAsync();
        if (quota is not null && Overflows(quota, UsageOfSpace(spaceId)) is { } over)
            throw new QuotaExceededException($"space '{org.Name}/{space.Name}' already uses more than quota '{quota.Name}' allows: {over}");
        var changed = space with { Quota = quota?.Name };
        await SaveAsync(Orgs.SetItem(org.Id, Audited(org with { Spaces = org.Spaces.SetItem(spaceId, changed) },
            "quota.set", $"space {space.Name} quota {quota?.Name ?? "(none)"}", actor)));
    }

    public async Task Reserve(string spaceId, Guid appId, Footprint? footprint)
    {
        var (org, space) = Space(spaceId);
        var ledger = await EnsureLedgerAsync();
        var apps = ledger.TryGetValue(spaceId, out var found) ? found : ledger[spaceId] = [];
        if (footprint is not null)
        {
            var spaceOthers = Sum(apps.Where(a => a.Key != appId).Select(a => a.Value));
            var orgOthers = Sum(org.Spaces.Keys.SelectMany(s => ledger.GetValueOrDefault(s, [])).Where(a => a.Key != appId).Select(a => a.Value));
            var violation = QuotaCheck.Violation(PlanOf(space.Quota, forSpaces: true), spaceOthers, footprint, $"space {org.Name}/{space.Name}")
                ?? QuotaCheck.Violation(PlanOf(org.Quota, forSpaces: false), orgOthers, footprint, $"org {org.Name}");
            if (violation is not null)
                throw new QuotaExceededException(violation);
            apps[appId] = footprint;
        }
        else
        {
            apps.Remove(appId);
        }
    }

    public async Task Rekey(string spaceId, Guid from, Guid to)
    {
        var ledger = await EnsureLedgerAsync();
        if (ledger.TryGetValue(spaceId, out var apps) && apps.Remove(from, out var footprint))
            apps[to] = footprint;
    }

    public async Task<(QuotaUsage Usage, QuotaPlan? Plan)> OrgUsage(Guid orgId)
    {
        var org = Org(orgId);
        await EnsureLedgerAsync();
        return (UsageOfOrg(org), PlanOf(org.Quota, forSpaces: false));
    }

    private QuotaPlan? PlanOf(string? name, bool forSpaces) =>
        name is null ? null : (forSpaces ? state.State.SpaceQuotas : state.State.OrgQuotas).GetValueOrDefault(name);

    private QuotaUsage UsageOfOrg(OrgRecord org) => Sum(org.Spaces.Keys.SelectMany(s => _ledger!.GetValueOrDefault(s, [])).Select(a => a.Value));

    private QuotaUsage UsageOfSpace(string spaceId) => Sum(_ledger!.GetValueOrDefault(spaceId, []).Values);

    private static QuotaUsage Sum(IEnumerable<Footprint> footprints) => footprints.Aggregate(QuotaUsage.Zero, (u, f) => u.Add(f));

    /// <summary>What of <paramref name="usage"/> a plan does not allow, or null.</summary>
    private static string? Overflows(QuotaPlan plan, QuotaUsage usage) =>
        plan.MemoryMb < usage.MemoryMb ? $"{usage.MemoryMb} MB of memory in use"
        : plan.Instances < usage.Instances ? $"{usage.Instances} instances in use"
        : plan.Apps < usage.Apps ? $"{usage.Apps} apps"
        : plan.Routes < usage.Routes ? $"{usage.Routes} routes"
        : null;

    private async Task<Dictionary<string, Dictionary<Guid, Footprint>>> EnsureLedgerAsync()
    {
        if (_ledger is not null)
            return _ledger;
        var ledger = new Dictionary<string, Dictionary<Guid, Footprint>>(StringComparer.Ordinal);
        foreach (var spaceId in Orgs.Values.SelectMany(o => o.Spaces.Keys))
        {
            var apps = ledger[spaceId] = [];
            foreach (var id in await GrainFactory.GetGrain<ISpaceGrain>(spaceId).ListApps())
            {
                if (await GrainFactory.GetGrain<IAppGrain>(id).Get() is { } app)
                    apps[id] = FootprintOf(app.Spec, app.Routes.Length);
            }
        }

        return _ledger = ledger;
    }
}
