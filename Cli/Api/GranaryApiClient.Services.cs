using System.Net;

namespace Granary.Cli.Api;

internal sealed partial class GranaryApiClient
{
    public Task<ServiceBrokerEntry> CreateServiceBrokerAsync(CreateServiceBrokerRequest request, CancellationToken ct) =>
        SendForJsonAsync(HttpMethod.Post, "v1/service_brokers", Json(request, Ctx.CreateServiceBrokerRequest), Ctx.ServiceBrokerEntry, ct);

    public async Task<(List<ServiceBrokerEntry> Brokers, string Raw)> ListServiceBrokersAsync(CancellationToken ct)
    {
        var raw = await SendForTextAsync(HttpMethod.Get, "v1/service_brokers", null, ct);
        return (Deserialize(raw, Ctx.ListServiceBrokerEntry, "v1/service_brokers"), raw);
    }

    public Task DeleteServiceBrokerAsync(string name, CancellationToken ct) =>
        SendForTextAsync(HttpMethod.Delete, $"v1/service_brokers/{Uri.EscapeDataString(name)}", null, ct);

    public async Task<(List<ServiceOfferingEntry> Offerings, string Raw)> MarketplaceAsync(CancellationToken ct)
    {
        var raw = await SendForTextAsync(HttpMethod.Get, "v1/marketplace", null, ct);
        return (Deserialize(raw, Ctx.ListServiceOfferingEntry, "v1/marketplace"), raw);
    }

    public Task<ServiceInstanceEntry> CreateServiceAsync(CreateServiceInstanceRequest request, CancellationToken ct) =>
        SendForJsonAsync(HttpMethod.Post, "v1/service_instances", Json(request, Ctx.CreateServiceInstanceRequest), Ctx.ServiceInstanceEntry, ct);

    public Task<ServiceInstanceEntry> CreateUserProvidedServiceAsync(CreateUserProvidedServiceRequest request, CancellationToken ct) =>
        SendForJsonAsync(HttpMethod.Post, "v1/user_provided_service_instances", Json(request, Ctx.CreateUserProvidedServiceRequest), Ctx.ServiceInstanceEntry, ct);

    public async Task<(List<ServiceInstanceEntry> Services, string Raw)> ListServicesAsync(CancellationToken ct)
    {
        var raw = await SendForTextAsync(HttpMethod.Get, "v1/service_instances", null, ct);
        return (Deserialize(raw, Ctx.ListServiceInstanceEntry, "v1/service_instances"), raw);
    }

    /// <summary>The instance, or null once it is gone.</summary>
    public async Task<ServiceInstanceEntry?> FindServiceAsync(string name, CancellationToken ct)
    {
        try
        {
            return await SendForJsonAsync(HttpMethod.Get, $"v1/service_instances/{Uri.EscapeDataString(name)}", null, Ctx.ServiceInstanceEntry, ct);
        }
        catch (ApiException e) when (e.Status == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    /// <summary>Null when the instance was deleted at once; else the instance, delete in progress.</summary>
    public async Task<ServiceInstanceEntry?> DeleteServiceAsync(string name, CancellationToken ct)
    {
        var raw = await SendForTextAsync(HttpMethod.Delete, $"v1/service_instances/{Uri.EscapeDataString(name)}", null, ct);
        return string.IsNullOrWhiteSpace(raw) ? null : Deserialize(raw, Ctx.ServiceInstanceEntry, "v1/service_instances");
    }

    public Task<ServiceBindingEntry> BindServiceAsync(string appId, string service, CancellationToken ct) =>
        SendForJsonAsync(HttpMethod.Post, $"v1/apps/{appId}/service_bindings", Json(new CreateServiceBindingRequest(service), Ctx.CreateServiceBindingRequest), Ctx.ServiceBindingEntry, ct);

    public Task UnbindServiceAsync(string appId, string service, CancellationToken ct) =>
        SendForTextAsync(HttpMethod.Delete, $"v1/apps/{appId}/service_bindings/{Uri.EscapeDataString(service)}", null, ct);

    public Task<List<ServiceBindingEntry>> ListBindingsAsync(string appId, CancellationToken ct) =>
        SendForJsonAsync(HttpMethod.Get, $"v1/apps/{appId}/service_bindings", null, Ctx.ListServiceBindingEntry, ct);
}
