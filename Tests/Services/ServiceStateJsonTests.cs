using System.Text.Json;
using Granary.Services;

namespace Granary.Tests.Services;

/// <summary>Grain state is stored as JSON in PostgreSQL: what the service grains store must read back whole.</summary>
public sealed class ServiceStateJsonTests
{
    private static readonly JsonSerializerOptions Options = Configure();

    private static JsonSerializerOptions Configure()
    {
        var options = new JsonSerializerOptions();
        GrainStorage.ConfigureJson(options);
        return options;
    }

    private static T RoundTrip<T>(T value) => JsonSerializer.Deserialize<T>(JsonSerializer.Serialize(value, Options), Options)!;

    [Fact]
    public void BrokerState_RoundTrips_WithCatalogPendingOperationsAndOrphans()
    {
        var instance = Guid.NewGuid();
        var state = new ServiceBrokerGrainState
        {
            Registration = new BrokerRegistration("pg", "http://b/", "u", "p"),
            Catalog = [new ServiceOffering("s", "postgresql", "d", true, ["postgresql"], [new ServicePlan("p1", "small", "d", true, true, 60)])],
            CatalogFetchedAt = DateTimeOffset.UnixEpoch,
            Instances = [instance],
            Pending = [new PendingOperation(instance, OsbRequestKind.Provision, "s", "p1", "op-1", DateTimeOffset.UnixEpoch)],
            Orphans = [new OrphanCleanup(instance, Guid.NewGuid(), "s", "p1", 2, DateTimeOffset.UnixEpoch, "timeout")],
        };

        var read = RoundTrip(state);

        Assert.Equal(state.Registration, read.Registration);
        Assert.Equal("small", read.Catalog.Single().Plans.Single().Name);
        Assert.Equal(state.Instances, read.Instances);
        Assert.Equal(state.Pending, read.Pending);
        Assert.Equal(state.Orphans, read.Orphans);
    }

    [Fact]
    public void InstanceBindingsAndRegistryState_RoundTrip()
    {
        var app = Guid.NewGuid();
        var binding = new ServiceBinding(Guid.NewGuid(), app, Guid.NewGuid(), "db1", "postgresql", "small", ["postgresql"],
            new ServiceCredentials("""{"uri":"postgres://x"}"""), DateTimeOffset.UnixEpoch);
        var instance = new ServiceInstanceState
        {
            Details = new ServiceInstanceDetails(Guid.NewGuid(), "db1", ServiceInstanceKind.Managed, "pg", "postgresql", "small",
                ServiceInstanceStatus.Ready, null, [app], DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch),
            ServiceId = "s", PlanId = "p", Tags = ["postgresql"], Bindings = new() { [app] = binding.BindingId },
        };
        var registry = new ServiceRegistryState { Brokers = new(StringComparer.Ordinal) { "pg" }, Instances = new() { ["db1"] = Guid.NewGuid() } };

        var readInstance = RoundTrip(instance);
        var readBindings = RoundTrip(new AppBindingsState { Bindings = [binding] });
        var readRegistry = RoundTrip(registry);

        Assert.True(instance.Details.BoundApps.SequenceEqual(readInstance.Details!.BoundApps));
        Assert.Equal(instance.Details with { BoundApps = readInstance.Details.BoundApps }, readInstance.Details);
        Assert.Equal(binding.BindingId, readInstance.Bindings[app]);
        Assert.Equal(binding.Credentials, readBindings.Bindings.Single().Credentials);
        Assert.Equal(["pg"], readRegistry.Brokers);
        Assert.Equal(registry.Instances, readRegistry.Instances);
    }
}
