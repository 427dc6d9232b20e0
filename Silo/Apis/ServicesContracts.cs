using System.Text.Json;
using Granary.Services;

namespace Granary.Silo.Apis;

// The data-services API's JSON shapes (docs/API.md, "Data services"). No view carries credentials or a
// broker's password: they go from brokers to app environments and nowhere else.

public sealed record CreateServiceBrokerRequest(string? Name, string? Url, string? Username, string? Password);

public sealed record ServicePlanView(string Name, string Description, bool Free, bool Bindable);

public sealed record ServiceOfferingView(string Service, string Description, string Broker, IReadOnlyList<string> Tags, IReadOnlyList<ServicePlanView> Plans);

public sealed record ServiceBrokerView(string Name, string Url, string Username, IReadOnlyList<ServiceOfferingView> Services, DateTimeOffset CatalogFetchedAt);

public sealed record CreateServiceInstanceRequest(string? Name, string? Service, string? Plan, string? Broker);

public sealed record CreateUserProvidedServiceRequest(string? Name, JsonElement? Credentials);

public sealed record ServiceInstanceView(
    Guid Id, string Name, ServiceInstanceKind Type, string? Broker, string? Service, string? Plan,
    ServiceInstanceStatus Status, string? Message, IReadOnlyList<string> BoundApps, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt);

public sealed record CreateServiceBindingRequest(string? ServiceInstance);

/// <summary>A binding as users see it; <c>note</c> says what it takes for the app to see it.</summary>
public sealed record ServiceBindingView(Guid Id, Guid AppId, string ServiceInstance, string Service, string? Plan, DateTimeOffset CreatedAt, string Note);

internal static class ServiceViews
{
    public const string RestartNote = "restart the app (granary restart APP) for its instances to see the change";

    public static ServiceBrokerView ToView(this ServiceBrokerInfo broker) =>
        new(broker.Name, broker.Url, broker.Username, [.. broker.Services.Select(s => s.ToView(broker.Name))], broker.CatalogFetchedAt);

    public static ServiceOfferingView ToView(this ServiceOffering offering, string broker) =>
        new(offering.Name, offering.Description, broker, offering.Tags, [.. offering.Plans.Select(p => new ServicePlanView(p.Name, p.Description, p.Free, p.Bindable))]);

    public static ServiceBindingView ToView(this ServiceBinding binding) =>
        new(binding.BindingId, binding.AppId, binding.InstanceName, binding.Label, binding.Plan, binding.CreatedAt, RestartNote);
}
