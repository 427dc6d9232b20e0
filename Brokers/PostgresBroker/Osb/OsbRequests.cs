using System.Text.Json;
using Granary.Brokers.Postgres.Catalog;

namespace Granary.Brokers.Postgres.Osb;

public sealed record ProvisionRequest(string ServiceId, PlanDefinition Plan, string? MaintenanceVersion);

/// <summary>What makes two bind requests "identical" for the 200-or-409 decision: the plan and the app.</summary>
public sealed record BindRequest(string ServiceId, string PlanId, string? AppGuid);

/// <summary>Either a parsed request or the description of why it is malformed (400).</summary>
public sealed record Parsed<T>(T? Value, string? Problem) where T : class
{
    public static Parsed<T> Fail(string problem) => new(null, problem);
}

/// <summary>
/// Turns request bodies into requests, with a 400 description a platform operator can act on. Unknown
/// fields are ignored, as the spec requires of receivers.
/// </summary>
public static class OsbRequests
{
    public static Parsed<ProvisionRequest> ParseProvision(string body)
    {
        if (ReadObject(body) is not { } root)
            return Parsed<ProvisionRequest>.Fail("The body must be a JSON object with service_id, plan_id, organization_guid and space_guid.");
        if (RequiredString(root, "service_id") is not { } serviceId)
            return Parsed<ProvisionRequest>.Fail("service_id is required (a non-empty string from the catalog).");
        if (RequiredString(root, "plan_id") is not { } planId)
            return Parsed<ProvisionRequest>.Fail("plan_id is required (a non-empty string from the catalog).");
        foreach (var field in new[] { "organization_guid", "space_guid" })
            if (RequiredString(root, field) is null)
                return Parsed<ProvisionRequest>.Fail($"{field} is required (a non-empty string; OSB 2.17 still requires it next to context).");
        if (CatalogProblem(serviceId, planId) is { } catalogProblem)
            return Parsed<ProvisionRequest>.Fail(catalogProblem);
        if (ParametersProblem(root) is { } parametersProblem)
            return Parsed<ProvisionRequest>.Fail(parametersProblem);
        if (OptionalObject(root, "context", out _) is { } contextProblem)
            return Parsed<ProvisionRequest>.Fail(contextProblem);
        if (OptionalObject(root, "maintenance_info", out var maintenance) is { } maintenanceProblem)
            return Parsed<ProvisionRequest>.Fail(maintenanceProblem);
        string? version = null;
        if (maintenance is { } m)
        {
            version = RequiredString(m, "version");
            if (version is null)
                return Parsed<ProvisionRequest>.Fail("maintenance_info.version must be a non-empty string when maintenance_info is sent.");
        }
        return new(new ProvisionRequest(serviceId, PostgresCatalog.FindPlan(planId)!, version), null);
    }

    public static Parsed<BindRequest> ParseBind(string body)
    {
        if (ReadObject(body) is not { } root)
            return Parsed<BindRequest>.Fail("The body must be a JSON object with service_id and plan_id.");
        if (RequiredString(root, "service_id") is not { } serviceId)
            return Parsed<BindRequest>.Fail("service_id is required (a non-empty string).");
        if (RequiredString(root, "plan_id") is not { } planId)
            return Parsed<BindRequest>.Fail("plan_id is required (a non-empty string).");
        if (CatalogProblem(serviceId, planId) is { } catalogProblem)
            return Parsed<BindRequest>.Fail(catalogProblem);
        if (ParametersProblem(root) is { } parametersProblem)
            return Parsed<BindRequest>.Fail(parametersProblem);
        if (OptionalObject(root, "bind_resource", out var resource) is { } resourceProblem)
            return Parsed<BindRequest>.Fail(resourceProblem);
        var appGuid = resource is { } r && r.TryGetProperty("app_guid", out var a) && a.ValueKind == JsonValueKind.String ? a.GetString() : null;
        if (appGuid is null && root.TryGetProperty("app_guid", out var legacy) && legacy.ValueKind == JsonValueKind.String)
            appGuid = legacy.GetString();
        return new(new BindRequest(serviceId, planId, string.IsNullOrEmpty(appGuid) ? null : appGuid), null);
    }

    /// <summary>The required query parameters of unbind and deprovision; null when both are there.</summary>
    public static string? DeleteQueryProblem(string? serviceId, string? planId) =>
        string.IsNullOrEmpty(serviceId) || string.IsNullOrEmpty(planId)
            ? "The query parameters service_id and plan_id are required."
            : null;

    /// <summary>accepts_incomplete is a boolean; anything but "true" means the platform cannot poll.</summary>
    public static bool AcceptsIncomplete(string? value) => string.Equals(value, "true", StringComparison.OrdinalIgnoreCase);

    private static string? CatalogProblem(string serviceId, string planId)
    {
        if (serviceId != PostgresCatalog.ServiceId)
            return $"service_id '{serviceId}' is not in this broker's catalog (it offers {PostgresCatalog.ServiceId}).";
        if (PostgresCatalog.FindPlan(planId) is null)
            return $"plan_id '{planId}' is not a plan of service {PostgresCatalog.ServiceName}; see GET /v2/catalog.";
        return null;
    }

    private static string? ParametersProblem(JsonElement root)
    {
        if (!root.TryGetProperty("parameters", out var parameters) || parameters.ValueKind == JsonValueKind.Null)
            return null;
        if (parameters.ValueKind != JsonValueKind.Object)
            return "parameters must be a JSON object.";
        var names = parameters.EnumerateObject().Select(p => p.Name).ToList();
        return names.Count == 0 ? null : $"This service takes no parameters (got: {string.Join(", ", names)}).";
    }

    private static string? OptionalObject(JsonElement root, string name, out JsonElement? value)
    {
        value = null;
        if (!root.TryGetProperty(name, out var element) || element.ValueKind == JsonValueKind.Null)
            return null;
        if (element.ValueKind != JsonValueKind.Object)
            return $"{name} must be a JSON object.";
        value = element;
        return null;
    }

    private static string? RequiredString(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 } text
            ? text
            : null;

    private static JsonElement? ReadObject(string body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            return document.RootElement.ValueKind == JsonValueKind.Object ? document.RootElement.Clone() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
