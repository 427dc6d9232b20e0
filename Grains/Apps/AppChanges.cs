using System.Collections.Immutable;
using Granary.Apps;

namespace Granary.Apps;

/// <summary>Applies a partial update to a spec and names what changed, for the event log. Pure.</summary>
public static class AppChanges
{
    public static AppSpec Apply(AppSpec spec, AppUpdate update) => spec with
    {
        Name = update.Name ?? spec.Name,
        Instances = update.Instances ?? spec.Instances,
        MemoryMb = update.MemoryMb ?? spec.MemoryMb,
        Env = update.Env ?? spec.Env,
        Command = update.ClearCommand ? null : update.Command ?? spec.Command,
        HealthCheck = update.HealthCheck ?? spec.HealthCheck,
        State = update.State ?? spec.State,
    };

    /// <summary>One (event type, message) per kind of change between the two specs.</summary>
    public static IEnumerable<(string Type, string Message)> Describe(AppSpec before, AppSpec after)
    {
        if (before.Instances != after.Instances || before.MemoryMb != after.MemoryMb)
        {
            yield return (AppEventTypes.Scaled,
                $"scaled from {before.Instances} x {before.MemoryMb} MB to {after.Instances} x {after.MemoryMb} MB");
        }

        if (before.State != after.State)
        {
            yield return after.State == AppState.Started
                ? (AppEventTypes.Started, $"app '{after.Name}' started")
                : (AppEventTypes.Stopped, $"app '{after.Name}' stopped");
        }

        var changed = new List<string>();
        if (before.Name != after.Name) changed.Add($"renamed from '{before.Name}' to '{after.Name}'");
        if (!AppSpec.SameEnv(before.Env, after.Env)) changed.Add($"environment changed ({EnvDiff(before.Env, after.Env)})");
        if (before.Command != after.Command) changed.Add(after.Command is null ? "command cleared" : "command changed");
        if (before.HealthCheck != after.HealthCheck) changed.Add("health check changed");
        if (changed.Count > 0)
        {
            yield return (AppEventTypes.Updated, string.Join("; ", changed));
        }
    }


    // Names only, never values: env often holds secrets and events are widely readable.
    private static string EnvDiff(ImmutableDictionary<string, string> before, ImmutableDictionary<string, string> after)
    {
        var set = after.Where(kv => !before.TryGetValue(kv.Key, out var v) || v != kv.Value).Select(kv => kv.Key);
        var unset = before.Keys.Where(k => !after.ContainsKey(k));
        var parts = new List<string>();
        if (set.Any()) parts.Add("set " + string.Join(", ", set.Order(StringComparer.Ordinal)));
        if (unset.Any()) parts.Add("unset " + string.Join(", ", unset.Order(StringComparer.Ordinal)));
        return string.Join("; ", parts);
    }
}
