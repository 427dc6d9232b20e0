using System.Globalization;

namespace Granary.Tenancy;

/// <summary>
/// Pure: whether an app's new footprint fits a quota, given what everything else in the org or space uses. The first
/// limit it passes is named with the use it would reach and the use now, so the user knows what to scale down.
/// </summary>
public static class QuotaCheck
{
    /// <param name="others">Use of everything in the org or space except this app.</param>
    /// <param name="where">"org acme" or "space acme/dev", for the message.</param>
    public static string? Violation(QuotaPlan? plan, QuotaUsage others, Footprint? app, string where)
    {
        if (plan is null || app is null)
            return null;
        var after = others.Add(app);
        if (plan.InstanceMemoryMb is { } largest && app.InstanceMemoryMb > largest)
            return $"an instance of {Mb(app.InstanceMemoryMb)} is more than quota '{plan.Name}' of {where} allows per instance ({Mb(largest)})";
        if (plan.MemoryMb is { } memory && after.MemoryMb > memory)
            return $"this needs {Mb(after.MemoryMb)} of memory in {where}; its quota '{plan.Name}' allows {Mb(memory)} and {Mb(others.MemoryMb)} are in use by other apps";
        if (plan.Instances is { } instances && after.Instances > instances)
            return $"this needs {after.Instances} instances in {where}; its quota '{plan.Name}' allows {instances} and {others.Instances} are in use by other apps";
        if (plan.Apps is { } apps && after.Apps > apps)
            return $"{where} has {others.Apps} apps; its quota '{plan.Name}' allows {apps}";
        if (plan.Routes is { } routes && after.Routes > routes)
            return $"this needs {after.Routes} routes in {where}; its quota '{plan.Name}' allows {routes} and {others.Routes} are in use by other apps";
        return null;
    }

    private static string Mb(int mb) => mb >= 1024 && mb % 1024 == 0
        ? (mb / 1024).ToString(CultureInfo.InvariantCulture) + "G"
        : mb.ToString(CultureInfo.InvariantCulture) + "M";
}
