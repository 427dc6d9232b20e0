using System.Net;
using System.Text.Json;

namespace Granary.Tests.Brokers;

/// <summary>What the OSB 2.17 spec demands of the broker at the HTTP level: auth, version header, catalog, status codes.</summary>
public sealed class BrokerProtocolTests : IAsyncLifetime
{
    private BrokerServer _broker = null!;
    private OsbClient _osb = null!;

    public async Task InitializeAsync()
    {
        _broker = await BrokerServer.StartAsync();
        _osb = _broker.Client();
    }

    public async Task DisposeAsync()
    {
        _osb.Dispose();
        await _broker.DisposeAsync();
    }

    [Fact]
    public async Task Catalog_Requested_ListsBindablePostgresqlWithSmallAndMediumPlans()
    {
        var response = await _osb.CatalogAsync();

        Assert.Equal(HttpStatusCode.OK, response.Status);
        var service = Assert.Single(response.Body.GetProperty("services").EnumerateArray());
        Assert.Equal("postgresql", service.GetProperty("name").GetString());
        Assert.False(string.IsNullOrEmpty(service.GetProperty("id").GetString()));
        Assert.False(string.IsNullOrEmpty(service.GetProperty("description").GetString()));
        Assert.True(service.GetProperty("bindable").GetBoolean());
        Assert.False(service.GetProperty("plan_updateable").GetBoolean());
        var plans = service.GetProperty("plans").EnumerateArray().ToList();
        Assert.Equal(["small", "medium"], plans.Select(p => p.GetProperty("name").GetString()));
        Assert.All(plans, p =>
        {
            Assert.False(string.IsNullOrEmpty(p.GetProperty("id").GetString()));
            Assert.False(string.IsNullOrEmpty(p.GetProperty("description").GetString()));
            Assert.Equal("1.0.0", p.GetProperty("maintenance_info").GetProperty("version").GetString());
        });
        Assert.Equal(2, plans.Select(p => p.GetProperty("id").GetString()).Distinct().Count());
    }

    [Theory]
    [InlineData(BrokerServer.Username, "wrong")]
    [InlineData("someone", BrokerServer.Password)]
    [InlineData("", "")]
    public async Task AnyRequest_WrongBasicCredentials_Returns401WithChallenge(string user, string password)
    {
        using var stranger = new OsbClient(_broker.Url, user, password);

        var catalog = await stranger.CatalogAsync();
        var provision = await stranger.ProvisionAsync(Guid.NewGuid().ToString(), OsbClient.SmallPlan);

        Assert.Equal(HttpStatusCode.Unauthorized, catalog.Status);
        Assert.Equal(HttpStatusCode.Unauthorized, provision.Status);
        Assert.Equal("Basic", Assert.Single(catalog.Headers.WwwAuthenticate).Scheme);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("2.13")]
    [InlineData("1.17")]
    [InlineData("3.0")]
    [InlineData("two")]
    public async Task AnyRequest_MissingOrUnsupportedApiVersion_Returns412(string? version)
    {
        using var old = new OsbClient(_broker.Url, version: version);

        var response = await old.CatalogAsync();

        Assert.Equal(HttpStatusCode.PreconditionFailed, response.Status);
        Assert.Contains("2.17", response.Text("description"));
    }

    [Theory]
    [InlineData("2.14")]
    [InlineData("2.17")]
    [InlineData("2.18")]
    public async Task Catalog_SupportedApiVersion_Returns200(string version)
    {
        using var platform = new OsbClient(_broker.Url, version: version);

        Assert.Equal(HttpStatusCode.OK, (await platform.CatalogAsync()).Status);
    }

    [Fact]
    public async Task Provision_NewThenIdenticalThenDifferentPlan_Returns201Then200Then409()
    {
        var id = Guid.NewGuid().ToString();

        var created = await _osb.ProvisionAsync(id, OsbClient.SmallPlan);
        var again = await _osb.ProvisionAsync(id, OsbClient.SmallPlan);
        var different = await _osb.ProvisionAsync(id, OsbClient.MediumPlan);

        Assert.Equal(HttpStatusCode.Created, created.Status);
        Assert.Equal(JsonValueKind.Object, created.Body.ValueKind);
        Assert.Equal(HttpStatusCode.OK, again.Status);
        Assert.Equal(HttpStatusCode.Conflict, different.Status);
    }

    public static TheoryData<string, string> MalformedProvisions => new()
    {
        { "not json", "JSON object" },
        { "[]", "JSON object" },
        { """{"plan_id":"x","organization_guid":"o","space_guid":"s"}""", "service_id" },
        { $$"""{"service_id":"{{OsbClient.ServiceId}}","organization_guid":"o","space_guid":"s"}""", "plan_id" },
        { $$"""{"service_id":"{{OsbClient.ServiceId}}","plan_id":"{{OsbClient.SmallPlan}}","space_guid":"s"}""", "organization_guid" },
        { $$"""{"service_id":"other","plan_id":"{{OsbClient.SmallPlan}}","organization_guid":"o","space_guid":"s"}""", "catalog" },
        { $$"""{"service_id":"{{OsbClient.ServiceId}}","plan_id":"large","organization_guid":"o","space_guid":"s"}""", "plan_id 'large'" },
        { $$"""{"service_id":"{{OsbClient.ServiceId}}","plan_id":"{{OsbClient.SmallPlan}}","organization_guid":"o","space_guid":"s","parameters":{"size":3} }""", "no parameters" },
        { $$"""{"service_id":"{{OsbClient.ServiceId}}","plan_id":"{{OsbClient.SmallPlan}}","organization_guid":"o","space_guid":"s","context":"x"}""", "context" },
    };

    [Theory]
    [MemberData(nameof(MalformedProvisions))]
    public async Task Provision_MalformedBody_Returns400SayingWhatIsWrong(string body, string mentioned)
    {
        var id = Guid.NewGuid().ToString();

        var response = await _osb.SendAsync(HttpMethod.Put, $"/v2/service_instances/{id}", body);

        Assert.Equal(HttpStatusCode.BadRequest, response.Status);
        Assert.Contains(mentioned, response.Text("description"));
        Assert.Equal(HttpStatusCode.NotFound, (await _osb.LastOperationAsync(id)).Status);
    }

    [Fact]
    public async Task Provision_StaleMaintenanceInfo_Returns422MaintenanceInfoConflict()
    {
        var body = $$"""{"service_id":"{{OsbClient.ServiceId}}","plan_id":"{{OsbClient.SmallPlan}}","organization_guid":"o","space_guid":"s","maintenance_info":{"version":"0.9.0"} }""";

        var response = await _osb.SendAsync(HttpMethod.Put, $"/v2/service_instances/{Guid.NewGuid()}", body);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.Status);
        Assert.Equal("MaintenanceInfoConflict", response.Text("error"));
    }

    [Fact]
    public async Task DeleteRequests_WithoutServiceAndPlanIds_Return400()
    {
        var id = Guid.NewGuid().ToString();
        await _osb.ProvisionAsync(id, OsbClient.SmallPlan);

        var deprovision = await _osb.SendAsync(HttpMethod.Delete, $"/v2/service_instances/{id}?plan_id={OsbClient.SmallPlan}");
        var unbind = await _osb.SendAsync(HttpMethod.Delete, $"/v2/service_instances/{id}/service_bindings/b1?service_id={OsbClient.ServiceId}");

        Assert.Equal(HttpStatusCode.BadRequest, deprovision.Status);
        Assert.Equal(HttpStatusCode.BadRequest, unbind.Status);
    }

    [Fact]
    public async Task DeprovisionAndUnbind_OfWhatNeverExisted_Return410Gone()
    {
        var deprovision = await _osb.DeprovisionAsync(Guid.NewGuid().ToString(), OsbClient.SmallPlan);
        var unbind = await _osb.UnbindAsync(Guid.NewGuid().ToString(), "nope", OsbClient.SmallPlan);

        Assert.Equal(HttpStatusCode.Gone, deprovision.Status);
        Assert.Equal(HttpStatusCode.Gone, unbind.Status);
        Assert.Equal(JsonValueKind.Object, deprovision.Body.ValueKind);
    }

    [Fact]
    public async Task Bind_UnknownInstance_Returns404AndBindMalformed_Returns400()
    {
        var unknown = await _osb.BindAsync(Guid.NewGuid().ToString(), "b", OsbClient.SmallPlan);
        var id = Guid.NewGuid().ToString();
        await _osb.ProvisionAsync(id, OsbClient.SmallPlan);
        var malformed = await _osb.SendAsync(HttpMethod.Put, $"/v2/service_instances/{id}/service_bindings/b", """{"plan_id":"x"}""");
        var otherPlan = await _osb.BindAsync(id, "b", OsbClient.MediumPlan);

        Assert.Equal(HttpStatusCode.NotFound, unknown.Status);
        Assert.Equal(HttpStatusCode.BadRequest, malformed.Status);
        Assert.Equal(HttpStatusCode.BadRequest, otherPlan.Status);
    }
}
