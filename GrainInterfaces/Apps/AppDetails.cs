using System.Collections.Immutable;
using Granary.Routes;
using Granary.Staging;

namespace Granary.Apps;

public enum StagingState
{
    None = 0,
    Staging = 1,
    Staged = 2,
    Failed = 3,
}

[GenerateSerializer, Immutable, Alias("granary.staging-status")]
public sealed record StagingStatus(
    [property: Id(0)] StagingState State,
    [property: Id(1)] string? BuildId,
    [property: Id(2)] string? PackageId,
    [property: Id(3)] string? Error,
    [property: Id(4)] DateTimeOffset? StartedAt,
    [property: Id(5)] DateTimeOffset? FinishedAt)
{
    public static StagingStatus NotStaged { get; } = new(StagingState.None, null, null, null, null, null);
}

/// <summary>An app as the controller knows it: desired state plus its current droplet and build.</summary>
[GenerateSerializer, Immutable, Alias("granary.app-details")]
public sealed record AppDetails(
    [property: Id(0)] Guid Id,
    [property: Id(1)] string Space,
    [property: Id(2)] AppSpec Spec,
    [property: Id(3)] long Version,
    [property: Id(4)] DropletRef? Droplet,
    [property: Id(5)] StagingStatus Staging,
    [property: Id(6)] DateTimeOffset CreatedAt,
    [property: Id(7)] DateTimeOffset UpdatedAt)
{
    /// <summary>Host names the edge routes to this app (APP.DOMAIN by default, plus mapped routes).</summary>
    [Id(8)] public ImmutableArray<string> Routes { get; init; } = [];

    /// <summary>How the edge balances this app's traffic.</summary>
    [Id(9)] public RoutePolicy Policy { get; init; } = RoutePolicy.Default;
}

/// <summary>Something that happened to an app, readable with <c>granary events</c>.</summary>
[GenerateSerializer, Immutable, Alias("granary.app-event")]
public sealed record AppEvent(
    [property: Id(0)] DateTimeOffset Time,
    [property: Id(1)] string Type,
    [property: Id(2)] string Message,
    [property: Id(3)] ImmutableDictionary<string, string> Data,
    [property: Id(4)] string? Actor = null);

/// <summary>Event type names; they are part of the API, so never rename one.</summary>
public static class AppEventTypes
{
    public const string Created = "app.created";
    public const string Updated = "app.updated";
    public const string Staged = "app.staged";
    public const string StagingFailed = "app.staging_failed";
    public const string Started = "app.started";
    public const string Stopped = "app.stopped";
    public const string Scaled = "app.scaled";
    public const string Restarted = "app.restarted";
    public const string Crashed = "instance.crashed";
    public const string InstanceRestarted = "instance.restarted";
    public const string InstanceLost = "instance.lost";
    public const string InstanceStarted = "instance.started";
    public const string InstanceEvacuating = "instance.evacuating";
    public const string InstanceEvacuated = "instance.evacuated";
    public const string PlacementFailed = "app.placement_failed";
    public const string Deleted = "app.deleted";
    public const string RouteMapped = "app.route_mapped";
    public const string RouteUnmapped = "app.route_unmapped";
}
