using System.Collections.Immutable;

namespace Granary.Routes;

public enum LoadBalancing
{
    RoundRobin = 1,
    LeastRequests = 2,
}

/// <summary>How the edge spreads an app's traffic; set per app.</summary>
[GenerateSerializer, Immutable, Alias("granary.route-policy")]
public sealed record RoutePolicy(
    [property: Id(0)] LoadBalancing LoadBalancing,
    [property: Id(1)] bool StickySessions)
{
    public static RoutePolicy Default { get; } = new(LoadBalancing.RoundRobin, false);
}

/// <summary>One RUNNING instance the edge may send an app's traffic to.</summary>
[GenerateSerializer, Immutable, Alias("granary.route-backend")]
public sealed record RouteBackend(
    [property: Id(0)] Guid InstanceId,
    [property: Id(1)] int Index,
    [property: Id(2)] string Host,
    [property: Id(3)] int Port);

/// <summary>Everything the edge needs about one app: its host names, its RUNNING instances and its policy.</summary>
[GenerateSerializer, Immutable, Alias("granary.app-routes")]
public sealed record AppRoutes(
    [property: Id(0)] Guid AppId,
    [property: Id(1)] string AppName,
    [property: Id(2)] ImmutableArray<string> Hosts,
    [property: Id(3)] ImmutableArray<RouteBackend> Backends,
    [property: Id(4)] RoutePolicy Policy);

/// <summary>
/// What changed in the route table between two versions. A full snapshot (IsFull) replaces
/// everything the edge holds; otherwise Changed entries replace theirs and Removed apps go.
/// <see cref="Epoch"/> names the table's history: a table whose state was lost starts a new epoch, so an edge
/// can tell its version 42 from the version 42 of a table that was reset and climbed back (0: not known).
/// </summary>
[GenerateSerializer, Immutable, Alias("granary.route-table-changes")]
public sealed record RouteTableChanges(
    [property: Id(0)] long Version,
    [property: Id(1)] bool IsFull,
    [property: Id(2)] ImmutableArray<AppRoutes> Changed,
    [property: Id(3)] ImmutableArray<Guid> Removed,
    [property: Id(4)] long Epoch = 0);

[GenerateSerializer, Alias("granary.route-taken")]
public sealed class RouteTakenException(string message) : Exception(message);
