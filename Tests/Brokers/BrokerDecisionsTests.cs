using Granary.Brokers.Postgres.Catalog;
using Granary.Brokers.Postgres.Hosting;
using Granary.Brokers.Postgres.Osb;
using Granary.Brokers.Postgres.Provisioning;
using Granary.Brokers.Postgres.Store;

namespace Granary.Tests.Brokers;

public sealed class BrokerDecisionsTests
{
    private static readonly PlanDefinition Small = PostgresCatalog.Plans[0];
    private static readonly PlanDefinition Medium = PostgresCatalog.Plans[1];
    private static readonly ProvisionRequest SmallRequest = new(PostgresCatalog.ServiceId, Small, null);

    private static InstanceRecord Instance(InstanceState state, string? plan = null) =>
        new("i", PostgresCatalog.ServiceId, plan ?? Small.Id, "granary_x", "granary_x_owner", state, "op-1");

    [Theory]
    [InlineData(AsyncPolicy.Allowed, true, ExecutionMode.Asynchronous)]
    [InlineData(AsyncPolicy.Allowed, false, ExecutionMode.Synchronous)]
    [InlineData(AsyncPolicy.Never, true, ExecutionMode.Synchronous)]
    [InlineData(AsyncPolicy.Required, true, ExecutionMode.Asynchronous)]
    [InlineData(AsyncPolicy.Required, false, ExecutionMode.RejectAsyncRequired)]
    public void Choose_PolicyAndAcceptsIncomplete_PicksMode(AsyncPolicy policy, bool accepts, ExecutionMode expected) =>
        Assert.Equal(expected, BrokerDecisions.Choose(policy, accepts));

    [Theory]
    [InlineData(InstanceState.Ready, true, ProvisionVerdict.AlreadyProvisioned)]
    [InlineData(InstanceState.Provisioning, true, ProvisionVerdict.StillProvisioning)]
    [InlineData(InstanceState.Provisioning, false, ProvisionVerdict.Busy)]
    [InlineData(InstanceState.Failed, false, ProvisionVerdict.Retry)]
    [InlineData(InstanceState.Deprovisioning, true, ProvisionVerdict.Busy)]
    public void Provision_SamePlan_DependsOnState(InstanceState state, bool accepts, ProvisionVerdict expected) =>
        Assert.Equal(expected, BrokerDecisions.Provision(Instance(state), SmallRequest, accepts));

    [Fact]
    public void Provision_OtherPlanOrNothing_ConflictOrCreate()
    {
        Assert.Equal(ProvisionVerdict.Conflict, BrokerDecisions.Provision(Instance(InstanceState.Ready, Medium.Id), SmallRequest, true));
        Assert.Equal(ProvisionVerdict.Create, BrokerDecisions.Provision(null, SmallRequest, false));
    }

    [Theory]
    [InlineData(InstanceState.Ready, false, DeprovisionVerdict.Delete)]
    [InlineData(InstanceState.Failed, false, DeprovisionVerdict.Delete)]
    [InlineData(InstanceState.Provisioning, true, DeprovisionVerdict.Busy)]
    [InlineData(InstanceState.Deprovisioning, true, DeprovisionVerdict.StillDeprovisioning)]
    [InlineData(InstanceState.Deprovisioning, false, DeprovisionVerdict.Busy)]
    public void Deprovision_DependsOnState(InstanceState state, bool accepts, DeprovisionVerdict expected) =>
        Assert.Equal(expected, BrokerDecisions.Deprovision(Instance(state), PostgresCatalog.ServiceId, Small.Id, accepts));

    [Fact]
    public void Deprovision_UnknownOrOtherPlan_GoneOrMismatch()
    {
        Assert.Equal(DeprovisionVerdict.Gone, BrokerDecisions.Deprovision(null, PostgresCatalog.ServiceId, Small.Id, true));
        Assert.Equal(DeprovisionVerdict.Mismatch, BrokerDecisions.Deprovision(Instance(InstanceState.Ready), PostgresCatalog.ServiceId, Medium.Id, true));
    }

    [Fact]
    public void Bind_ExistingBinding_SameIs200OtherAppIs409NotReadyIsBusy()
    {
        var request = new BindRequest(PostgresCatalog.ServiceId, Small.Id, "app");
        var existing = new BindingRecord("i", "b", PostgresCatalog.ServiceId, Small.Id, "app", "r", "p", Ready: true);
        var instance = Instance(InstanceState.Ready);

        Assert.Equal(BindVerdict.AlreadyBound, BrokerDecisions.Bind(instance, existing, "i", request));
        Assert.Equal(BindVerdict.Conflict, BrokerDecisions.Bind(instance, existing, "i", request with { AppGuid = "other" }));
        Assert.Equal(BindVerdict.Conflict, BrokerDecisions.Bind(instance, existing, "other-instance", request));
        Assert.Equal(BindVerdict.StillBinding, BrokerDecisions.Bind(instance, existing with { Ready = false }, "i", request));
        Assert.Equal(BindVerdict.InstanceBusy, BrokerDecisions.Bind(Instance(InstanceState.Provisioning), null, "i", request));
        Assert.Equal(BindVerdict.NoInstance, BrokerDecisions.Bind(null, null, "i", request));
        Assert.Equal(BindVerdict.Create, BrokerDecisions.Bind(instance, null, "i", request));
    }

    [Theory]
    [InlineData(null, ApiVersionPolicy.HeaderName)]
    [InlineData("2.13", "not supported")]
    [InlineData("2", "MAJOR.MINOR")]
    public void ApiVersion_Unacceptable_SaysWhy(string? header, string expected) =>
        Assert.Contains(expected, ApiVersionPolicy.Problem(header));

    [Fact]
    public void SqlNames_QuoteEmbeddedQuotes()
    {
        Assert.Equal("\"a\"\"b\"", SqlNames.Identifier("a\"b"));
        Assert.Equal("'it''s'", SqlNames.Literal("it's"));
        Assert.Matches("^granary_[0-9a-f]{16}$", SqlNames.NewDatabase());
    }
}
