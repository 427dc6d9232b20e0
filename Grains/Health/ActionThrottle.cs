namespace Granary.Health;

/// <summary>
/// Keeps the health manager from repeating an action before the cluster had time to react to it
/// (a start takes seconds; the loop runs every second). Pure over the dictionary it is given.
/// </summary>
public static class ActionThrottle
{
    public static bool IsDue(IReadOnlyDictionary<string, DateTimeOffset> lastActions, string key, DateTimeOffset now, TimeSpan cooldown) =>
        !lastActions.TryGetValue(key, out var last) || now - last >= cooldown;

    /// <summary>Drops entries older than the cooldown, so the dictionary stays as small as the work in flight.</summary>
    public static void Forget(Dictionary<string, DateTimeOffset> lastActions, DateTimeOffset now, TimeSpan cooldown)
    {
        foreach (var key in lastActions.Where(e => now - e.Value >= cooldown).Select(e => e.Key).ToList())
        {
            lastActions.Remove(key);
        }
    }
}
