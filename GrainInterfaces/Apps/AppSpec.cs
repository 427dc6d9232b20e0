using System.Collections.Immutable;

namespace Granary.Apps;

/// <summary>Whether the user wants the app's instances running.</summary>
public enum AppState
{
    Started = 1,
    Stopped = 2,
}

public enum HealthCheckType
{
    /// <summary>RUNNING once the instance accepts TCP connections on its port.</summary>
    Port = 1,
    /// <summary>RUNNING once GET of <see cref="HealthCheckSpec.Path"/> answers 2xx.</summary>
    Http = 2,
    /// <summary>RUNNING as soon as the process is up (workers without a port).</summary>
    Process = 3,
}

[GenerateSerializer, Immutable, Alias("granary.health-check")]
public sealed record HealthCheckSpec(
    [property: Id(0)] HealthCheckType Type,
    [property: Id(1)] string? Path,
    [property: Id(2)] int TimeoutSeconds)
{
    public static HealthCheckSpec Default { get; } = new(HealthCheckType.Port, null, 60);
}

/// <summary>What the user asked for: the desired state of an app (never what nodes report).</summary>
[GenerateSerializer, Immutable, Alias("granary.app-spec")]
public sealed record AppSpec(
    [property: Id(0)] string Name,
    [property: Id(1)] int Instances,
    [property: Id(2)] int MemoryMb,
    [property: Id(3)] ImmutableDictionary<string, string> Env,
    [property: Id(4)] string? Command,
    [property: Id(5)] HealthCheckSpec HealthCheck,
    [property: Id(6)] AppState State,
    [property: Id(7)] bool NoRoute = false)
{
    // Value equality on the environment's contents: ImmutableDictionary compares by reference, and
    // "is this a change?" must not depend on whether the same env arrived as a new dictionary.
    public bool Equals(AppSpec? other) =>
        other is not null && Name == other.Name && Instances == other.Instances && MemoryMb == other.MemoryMb
        && Command == other.Command && HealthCheck == other.HealthCheck && State == other.State
        && SameEnv(Env, other.Env);

    /// <summary>Whether two environments hold the same variables with the same values.</summary>
    public static bool SameEnv(ImmutableDictionary<string, string> a, ImmutableDictionary<string, string> b) =>
        a.Count == b.Count && a.All(kv => b.TryGetValue(kv.Key, out var v) && v == kv.Value);

    public override int GetHashCode() => HashCode.Combine(Name, Instances, MemoryMb, Command, HealthCheck, State, Env.Count);
}

/// <summary>A partial change to an app; null members are left as they are.</summary>
[GenerateSerializer, Immutable, Alias("granary.app-update")]
public sealed record AppUpdate(
    [property: Id(0)] string? Name = null,
    [property: Id(1)] int? Instances = null,
    [property: Id(2)] int? MemoryMb = null,
    [property: Id(3)] ImmutableDictionary<string, string>? Env = null,
    [property: Id(4)] string? Command = null,
    [property: Id(5)] HealthCheckSpec? HealthCheck = null,
    [property: Id(6)] AppState? State = null,
    [property: Id(7)] bool ClearCommand = false,
    [property: Id(8)] Granary.Routes.RoutePolicy? Policy = null);
