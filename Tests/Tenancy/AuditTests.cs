using System.Net;
using System.Net.Http.Json;
using Granary.Tests.Apis;
using Granary.Tests.Infrastructure;

namespace Granary.Tests.Tenancy;

/// <summary>Every change records who made it: app events name their actor, and an org's audit lists its changes.</summary>
[Collection(SiloCollection.Name)]
public sealed class AuditTests(SiloFactory silo)
{
    [Fact]
    public async Task AppEvents_ChangeByADeveloper_NameTheDeveloper()
    {
        var world = await new TenancyWorld(silo).BuildAsync();
        Assert.Equal(HttpStatusCode.OK, (await world.DevA.PatchAsJsonAsync($"/v1/apps/{world.AppA}", new { instances = 2 })).StatusCode);

        var events = (await (await world.DevA.GetAsync($"/v1/apps/{world.AppA}/events")).Json()).AsArray();

        var actors = events.Select(e => ((string)e!["type"]!, (string)e["actor"]!)).ToList();
        Assert.Contains(("app.created", world.DevAName), actors);
        Assert.Contains(("app.scaled", world.DevAName), actors);
    }

    [Fact]
    public async Task OrgAudit_Admin_SeesSpacesRolesAndAppChangesWithActors()
    {
        var world = await new TenancyWorld(silo).BuildAsync();

        var audit = (await (await world.Admin.GetAsync($"/v1/orgs/{world.OrgA}/audit_events")).Json()).AsArray();

        var rows = audit.Select(e => ((string)e!["type"]!, (string)e["actor"]!, (string)e["message"]!)).ToList();
        Assert.Contains(rows, r => r.Item1 == "space.created" && r.Item2 == "admin");
        Assert.Contains(rows, r => r.Item1 == "role.set" && r.Item3.Contains(world.AuditorName, StringComparison.Ordinal));
        Assert.Contains(rows, r => r.Item1 == "app.created" && r.Item2 == world.DevAName);
    }

    [Fact]
    public async Task OrgAudit_SpaceRolesOnly_403AndOtherOrg_404()
    {
        var world = await new TenancyWorld(silo).BuildAsync();

        Assert.Equal(HttpStatusCode.Forbidden, (await world.DevA.GetAsync($"/v1/orgs/{world.OrgA}/audit_events")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await world.DevB.GetAsync($"/v1/orgs/{world.OrgA}/audit_events")).StatusCode);
    }
}
