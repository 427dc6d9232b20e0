using System.Globalization;
using Granary.Cli.Api;

namespace Granary.Cli.Running;

/// <summary>
/// The instances that existed before a push or restart. An instance counts towards "started" only if
/// it is new since then: old instances keep RUNNING until they are replaced, and must not end a wait
/// early. When the server reports each instance's droplet, that is the better test for a push.
/// </summary>
internal sealed class InstanceBaseline
{
    private readonly HashSet<string> _keys;

    private InstanceBaseline(HashSet<string> keys) => _keys = keys;

    public static InstanceBaseline None { get; } = new([]);

    public static InstanceBaseline Of(App app) =>
        new((app.InstanceDetails ?? []).Select(Key).ToHashSet(StringComparer.Ordinal));

    /// <summary>Whether <paramref name="instance"/> tells us about this start rather than an earlier one.</summary>
    public bool IsFresh(Instance instance, string? dropletHash = null)
    {
        var isNew = !_keys.Contains(Key(instance));
        if (instance.DropletHash is null || dropletHash is null)
            return isNew;
        // Re-pushing identical files yields the same droplet, which the server may leave running as is;
        // an old crash of that droplet is still old news, though.
        return instance.DropletHash == dropletHash && (isNew || instance.State == InstanceStates.Running);
    }

    private static string Key(Instance i) =>
        string.Join('|', i.InstanceId ?? i.Index.ToString(CultureInfo.InvariantCulture), i.State, i.Since?.ToString("O", CultureInfo.InvariantCulture) ?? "");
}

/// <summary>Where a start stands, computed from one look at the app.</summary>
internal sealed record InstanceProgress(int Running, int Starting, int Desired, Instance? Crashed)
{
    public bool Done => Crashed is null && Running >= Desired;

    public string Describe() =>
        string.Create(CultureInfo.InvariantCulture, $"{Running} of {Desired} instances running")
        + (Starting > 0 ? string.Create(CultureInfo.InvariantCulture, $", {Starting} starting") : "");

    public static InstanceProgress Evaluate(App app, InstanceBaseline baseline, string? dropletHash = null)
    {
        if (app.InstanceDetails is null)
            return new InstanceProgress(app.RunningInstances, 0, app.Instances, null);
        var fresh = app.InstanceDetails.Where(i => baseline.IsFresh(i, dropletHash)).ToList();
        return new InstanceProgress(
            fresh.Count(i => i.State == InstanceStates.Running),
            fresh.Count(i => i.State == InstanceStates.Starting),
            app.Instances,
            fresh.Where(i => i.State == InstanceStates.Crashed).OrderBy(i => i.Index).FirstOrDefault());
    }
}
