using System.Text.Json;

namespace Granary.Cli.Api;

// The CLI's view of the data-services API (docs/API.md, "Data services").

internal sealed record ServicePlanEntry(string Name, string? Description, bool Free, bool Bindable);

internal sealed record ServiceOfferingEntry(string Service, string? Description, string Broker, List<string>? Tags, List<ServicePlanEntry> Plans);

internal sealed record ServiceBrokerEntry(string Name, string Url, string Username, List<ServiceOfferingEntry> Services);

internal sealed record ServiceInstanceEntry(
    string Id, string Name, string Type, string? Broker, string? Service, string? Plan, string Status, string? Message, List<string> BoundApps);

internal sealed record ServiceBindingEntry(string Id, string AppId, string ServiceInstance, string Service, string? Plan, string? Note);

internal sealed record CreateServiceBrokerRequest(string Name, string Url, string Username, string Password);

internal sealed record CreateServiceInstanceRequest(string Name, string Service, string Plan, string? Broker = null);

internal sealed record CreateUserProvidedServiceRequest(string Name, JsonElement Credentials);

internal sealed record CreateServiceBindingRequest(string ServiceInstance);
