using System.Collections.Immutable;
using Granary.Instances;

namespace Granary.Health;

/// <summary>One instance the app has placed, with the state it last heard of.</summary>
[GenerateSerializer, Immutable, Alias("granary.slot-view")]
public sealed record SlotView(
    [property: Id(0)] int Index,
    [property: Id(1)] Guid InstanceId,
    [property: Id(2)] string NodeId,
    [property: Id(3)] InstanceState State,
    [property: Id(4)] DateTimeOffset Since,
    [property: Id(5)] bool Evacuating);

/// <summary>
/// A crash of one instance: when, how, and what it printed last. Kept by the app (for
/// <c>granary crashes</c>) and read by the health manager for the backoff policy.
/// </summary>
[GenerateSerializer, Immutable, Alias("granary.crash-record")]
public sealed record CrashRecord(
    [property: Id(0)] int Index,
    [property: Id(1)] Guid InstanceId,
    [property: Id(2)] string NodeId,
    [property: Id(3)] DateTimeOffset StartedAt,
    [property: Id(4)] DateTimeOffset CrashedAt,
    [property: Id(5)] int? ExitCode,
    [property: Id(6)] string Reason,
    [property: Id(7)] ImmutableArray<string> LastLines);

/// <summary>
/// What the health manager needs of one app: how many instances it wants, where it placed them, and its
/// recent crashes. Versioned, so an older view never replaces a newer one.
/// </summary>
[GenerateSerializer, Immutable, Alias("granary.app-health-view")]
public sealed record AppHealthView(
    [property: Id(0)] Guid AppId,
    [property: Id(1)] string Name,
    [property: Id(2)] long Version,
    [property: Id(3)] int Wanted,
    [property: Id(4)] ImmutableArray<SlotView> Slots,
    [property: Id(5)] ImmutableArray<CrashRecord> Crashes,
    [property: Id(6)] bool Deleted)
{
    /// <summary>The view of an app that no longer exists: any instance of it still running is a stray.</summary>
    public static AppHealthView Gone(Guid appId, long version) => new(appId, "", version, 0, [], [], true);
}
