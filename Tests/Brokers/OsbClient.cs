using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Granary.Tests.Brokers;

public sealed record OsbResponse(HttpStatusCode Status, JsonElement Body, HttpResponseHeaders Headers)
{
    public string? Text(string name) => Body.ValueKind == JsonValueKind.Object && Body.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
}

/// <summary>A platform's view of a broker: raw OSB requests with Basic auth and X-Broker-API-Version 2.17.</summary>
public sealed class OsbClient(string baseUrl, string username = BrokerServer.Username, string password = BrokerServer.Password, string? version = "2.17") : IDisposable
{
    public const string ServiceId = Granary.Brokers.Postgres.Catalog.PostgresCatalog.ServiceId;
    public static readonly string SmallPlan = Granary.Brokers.Postgres.Catalog.PostgresCatalog.Plans[0].Id;
    public static readonly string MediumPlan = Granary.Brokers.Postgres.Catalog.PostgresCatalog.Plans[1].Id;

    private readonly HttpClient _http = new() { BaseAddress = new Uri(baseUrl), Timeout = TimeSpan.FromSeconds(60) };

    public static string ProvisionBody(string planId, string serviceId = ServiceId) =>
        JsonSerializer.Serialize(new { service_id = serviceId, plan_id = planId, organization_guid = "org-1", space_guid = "space-1", context = new { platform = "granary" } });

    public static string BindBody(string planId, string appGuid = "app-1") =>
        JsonSerializer.Serialize(new { service_id = ServiceId, plan_id = planId, bind_resource = new { app_guid = appGuid } });

    public Task<OsbResponse> CatalogAsync() => SendAsync(HttpMethod.Get, "/v2/catalog");

    public Task<OsbResponse> ProvisionAsync(string instanceId, string planId, bool acceptsIncomplete = false) =>
        SendAsync(HttpMethod.Put, $"/v2/service_instances/{Uri.EscapeDataString(instanceId)}{(acceptsIncomplete ? "?accepts_incomplete=true" : "")}", ProvisionBody(planId));

    public Task<OsbResponse> DeprovisionAsync(string instanceId, string planId, bool acceptsIncomplete = false) =>
        SendAsync(HttpMethod.Delete, $"/v2/service_instances/{Uri.EscapeDataString(instanceId)}?service_id={ServiceId}&plan_id={planId}{(acceptsIncomplete ? "&accepts_incomplete=true" : "")}");

    public Task<OsbResponse> LastOperationAsync(string instanceId, string? operation = null) =>
        SendAsync(HttpMethod.Get, $"/v2/service_instances/{Uri.EscapeDataString(instanceId)}/last_operation{(operation is null ? "" : "?operation=" + Uri.EscapeDataString(operation))}");

    public Task<OsbResponse> BindAsync(string instanceId, string bindingId, string planId, string appGuid = "app-1") =>
        SendAsync(HttpMethod.Put, $"/v2/service_instances/{Uri.EscapeDataString(instanceId)}/service_bindings/{Uri.EscapeDataString(bindingId)}", BindBody(planId, appGuid));

    public Task<OsbResponse> UnbindAsync(string instanceId, string bindingId, string planId) =>
        SendAsync(HttpMethod.Delete, $"/v2/service_instances/{Uri.EscapeDataString(instanceId)}/service_bindings/{Uri.EscapeDataString(bindingId)}?service_id={ServiceId}&plan_id={planId}");

    /// <summary>Polls last_operation until it leaves "in progress" (or answers 410 Gone).</summary>
    public async Task<OsbResponse> WaitForOperationAsync(string instanceId, string? operation)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            var response = await LastOperationAsync(instanceId, operation);
            if (response.Status != HttpStatusCode.OK || response.Text("state") != "in progress" || DateTime.UtcNow > deadline)
                return response;
            await Task.Delay(100);
        }
    }

    public async Task<OsbResponse> SendAsync(HttpMethod method, string path, string? body = null)
    {
        using var request = new HttpRequestMessage(method, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{username}:{password}")));
        if (version is not null)
            request.Headers.Add("X-Broker-API-Version", version);
        if (body is not null)
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        using var response = await _http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        var json = text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
        return new OsbResponse(response.StatusCode, json, response.Headers);
    }

    public void Dispose() => _http.Dispose();
}
