using Granary.Cli.Api;

namespace Granary.Cli.Push;

/// <summary>What a push changes on an app that already exists: only what the user gave.</summary>
internal static class PushChanges
{
    public static PatchAppRequest For(App existing, PushPlan plan)
    {
        Dictionary<string, string>? env = null;
        if (plan.Env is { Count: > 0 })
        {
            // PATCH replaces the whole map: keep what set-env added, let the manifest win on its keys.
            var merged = new Dictionary<string, string>(existing.Env ?? [], StringComparer.Ordinal);
            foreach (var (key, value) in plan.Env)
                merged[key] = value;
            if (!SameEnv(merged, existing.Env))
                env = merged;
        }
        return new PatchAppRequest(
            Instances: plan.Instances is { } n && n != existing.Instances ? n : null,
            MemoryMb: plan.MemoryMb is { } m && m != existing.MemoryMb ? m : null,
            Env: env,
            Command: plan.Command is { } c && c != existing.Command ? c : null);
    }

    private static bool SameEnv(Dictionary<string, string> a, Dictionary<string, string>? b) =>
        b is not null && a.Count == b.Count && a.All(kv => b.TryGetValue(kv.Key, out var v) && v == kv.Value);
}
