using System.Collections.Immutable;
using System.Text;
using System.Text.Json;

namespace Granary.Services;

/// <summary>
/// What an app's bindings put into its instances' environment. Pure. GRANARY_SERVICES has the shape of
/// Cloud Foundry's VCAP_SERVICES (<c>{ label: [ { name, instance_name, label, plan, tags, credentials } ] }</c>),
/// and DATABASE_URL (Heroku's convention) is set when exactly one binding is a PostgreSQL database.
/// </summary>
public static class ServiceEnvironment
{
    public const string ServicesVariable = "GRANARY_SERVICES";
    public const string DatabaseUrlVariable = "DATABASE_URL";

    public static ImmutableDictionary<string, string> Build(IEnumerable<ServiceBinding> bindings)
    {
        var list = bindings.OrderBy(b => b.InstanceName, StringComparer.Ordinal).ToList();
        if (list.Count == 0)
            return ImmutableDictionary<string, string>.Empty;
        var env = ImmutableDictionary.CreateBuilder<string, string>();
        env[ServicesVariable] = ServicesJson(list);
        var databases = list.Select(PostgresUri).Where(uri => uri is not null).ToList();
        if (databases.Count == 1)
            env[DatabaseUrlVariable] = databases[0]!;
        return env.ToImmutable();
    }

    /// <summary>The binding's uri when it is a PostgreSQL database (by tag, label or URI scheme), else null.</summary>
    public static string? PostgresUri(ServiceBinding binding)
    {
        using var credentials = JsonDocument.Parse(binding.Credentials.Json);
        var uri = credentials.RootElement.ValueKind == JsonValueKind.Object && credentials.RootElement.TryGetProperty("uri", out var u)
            && u.ValueKind == JsonValueKind.String ? u.GetString() : null;
        if (uri is null)
            return null;
        var postgresScheme = uri.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase) || uri.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase);
        var taggedPostgres = binding.Tags.Contains("postgresql", StringComparer.OrdinalIgnoreCase) || binding.Label.Equals("postgresql", StringComparison.OrdinalIgnoreCase);
        return postgresScheme || taggedPostgres && uri.Contains("://") ? uri : null;
    }

    private static string ServicesJson(IReadOnlyList<ServiceBinding> bindings)
    {
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream))
        {
            json.WriteStartObject();
            foreach (var group in bindings.GroupBy(b => b.Label))
            {
                json.WriteStartArray(group.Key);
                foreach (var binding in group)
                {
                    json.WriteStartObject();
                    json.WriteString("name", binding.InstanceName);
                    json.WriteString("instance_name", binding.InstanceName);
                    json.WriteString("instance_guid", binding.InstanceId);
                    json.WriteString("binding_guid", binding.BindingId);
                    json.WriteString("label", binding.Label);
                    if (binding.Plan is null) json.WriteNull("plan"); else json.WriteString("plan", binding.Plan);
                    json.WriteStartArray("tags");
                    foreach (var tag in binding.Tags)
                        json.WriteStringValue(tag);
                    json.WriteEndArray();
                    json.WritePropertyName("credentials");
                    json.WriteRawValue(binding.Credentials.Json);
                    json.WriteEndObject();
                }
                json.WriteEndArray();
            }
            json.WriteEndObject();
        }
        return Encoding.UTF8.GetString(stream.ToArray());
    }
}
