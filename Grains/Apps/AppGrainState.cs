using Granary.Apps;

namespace Granary.Apps;

/// <summary>What an app grain stores. Stored as JSON in the cluster issue: property names are schema.</summary>
[GenerateSerializer, Alias("granary.app-grain-state")]
public sealed class AppGrainState
{
    /// <summary>Null until the app is created, and again once it is deleted.</summary>
    [Id(0)] public AppDetails? App { get; set; }

    /// <summary>The instances the app has placed, one per index (the actual state lives in instance grains).</summary>
    [Id(1)] public List<InstanceSlot> Slots { get; set; } = [];

    [Id(2)] public List<AppEvent> Events { get; set; } = [];

    /// <summary>The package of the droplet now running, so a restage rebuilds what runs rather than a failed upload.</summary>
    [Id(3)] public string? StagedPackageId { get; set; }

    /// <summary>Recent crashes, oldest first, bounded: the crash policy and <c>granary crashes</c> read them.</summary>
    [Id(4)] public List<Granary.Health.CrashRecord> Crashes { get; set; } = [];
}
