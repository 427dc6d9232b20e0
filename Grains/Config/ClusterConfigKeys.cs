using System.Globalization;

namespace Granary.Config;

/// <summary>
/// Pure: the settings the cluster config may hold and the values each takes. Only settings something watches live
/// are here; a node-local setting (ports, paths) set cluster-wide would silently do nothing, so it is refused.
/// </summary>
public static class ClusterConfigKeys
{
    private sealed record Rule(string Kind, Func<string, string?> Normalize);

    private static readonly Dictionary<string, Rule> Rules = new(StringComparer.OrdinalIgnoreCase)
    {
        // Read by every DEA's heartbeat timer and by the health manager's missed-heartbeat window.
        ["Granary:Health:HeartbeatInterval"] = Duration(TimeSpan.FromMilliseconds(200), TimeSpan.FromMinutes(1)),
        ["Granary:Health:MissedHeartbeats"] = Count(2, 20),
        // Read per request by each edge.
        ["Granary:Edge:AccessLog"] = Boolean(),
        ["Granary:Edge:MaxRequestBodySize"] = new(RequestBodyLimit.AcceptedForms, RequestBodyLimit.Normalize),
    };

    public static IReadOnlyCollection<string> Known => Rules.Keys;

    /// <summary>The key as stored (its canonical spelling) and the value normalized; throws for what the cluster cannot use.</summary>
    public static (string Key, string Value) Validate(string key, string value)
    {
        var canonical = Rules.Keys.FirstOrDefault(k => string.Equals(k, key, StringComparison.OrdinalIgnoreCase))
            ?? throw new InvalidClusterConfigException($"{key} is not a cluster setting; settings that apply live are: {string.Join(", ", Rules.Keys)}");
        var rule = Rules[canonical];
        return (canonical, rule.Normalize(value.Trim()) ?? throw new InvalidClusterConfigException($"{canonical} takes {rule.Kind}, not '{value}'"));
    }

    public static string? Canonical(string key) => Rules.Keys.FirstOrDefault(k => string.Equals(k, key, StringComparison.OrdinalIgnoreCase));

    private static Rule Duration(TimeSpan min, TimeSpan max) => new($"a duration from {min:c} to {max:c} (hh:mm:ss)",
        text => TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out var span) && span >= min && span <= max
            ? span.ToString("c", CultureInfo.InvariantCulture) : null);

    private static Rule Count(int min, int max) => new($"a whole number from {min} to {max}",
        text => int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= min && n <= max
            ? n.ToString(CultureInfo.InvariantCulture) : null);

    private static Rule Boolean() => new("true or false",
        text => bool.TryParse(text, out var b) ? (b ? "true" : "false") : null);
}
