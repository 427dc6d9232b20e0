using System.Collections.Immutable;
using System.Text.Json;

namespace Granary.Services;

/// <summary>Reads a broker's /v2/catalog into offerings; anything the spec marks required must be there.</summary>
public static class BrokerCatalog
{
    public static ImmutableArray<ServiceOffering> Parse(JsonElement root)
    {
        if (!root.TryGetProperty("services", out var services) || services.ValueKind != JsonValueKind.Array)
            throw Invalid("it has no services array");
        var offerings = ImmutableArray.CreateBuilder<ServiceOffering>();
        foreach (var service in services.EnumerateArray())
        {
            var name = Required(service, "name", "a service");
            var bindable = service.TryGetProperty("bindable", out var b) && b.ValueKind == JsonValueKind.True;
            if (!service.TryGetProperty("plans", out var plans) || plans.ValueKind != JsonValueKind.Array || plans.GetArrayLength() == 0)
                throw Invalid($"service {name} has no plans");
            offerings.Add(new ServiceOffering(
                Required(service, "id", name), name, Required(service, "description", name), bindable,
                service.TryGetProperty("tags", out var tags) && tags.ValueKind == JsonValueKind.Array
                    ? [.. tags.EnumerateArray().Where(t => t.ValueKind == JsonValueKind.String).Select(t => t.GetString()!)]
                    : [],
                [.. plans.EnumerateArray().Select(p => Plan(p, name, bindable))]));
        }
        var duplicate = offerings.GroupBy(o => o.Name).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
            throw Invalid($"service name {duplicate.Key} appears twice");
        return offerings.ToImmutable();
    }

    private static ServicePlan Plan(JsonElement plan, string service, bool serviceBindable)
    {
        var name = Required(plan, "name", $"a plan of {service}");
        return new ServicePlan(
            Required(plan, "id", $"plan {name} of {service}"), name, Required(plan, "description", $"plan {name} of {service}"),
            !plan.TryGetProperty("free", out var free) || free.ValueKind != JsonValueKind.False,
            plan.TryGetProperty("bindable", out var bindable) && bindable.ValueKind is JsonValueKind.True or JsonValueKind.False
                ? bindable.ValueKind == JsonValueKind.True
                : serviceBindable,
            plan.TryGetProperty("maximum_polling_duration", out var max) && max.TryGetInt32(out var seconds) ? seconds : null);
    }

    private static string Required(JsonElement element, string field, string what) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(field, out var value)
        && value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 } text
            ? text
            : throw Invalid($"{what} has no {field}");

    private static ServiceBrokerException Invalid(string why) => new($"the broker's catalog is not valid: {why}");
}
