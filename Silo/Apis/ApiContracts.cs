using Granary.Apps;
using Granary.Instances;
using Granary.Logs;
using Granary.Routes;

namespace Granary.Silo.Apis;

// The API's JSON shapes (docs/API.md). Separate from the grains' wire records, so either can evolve.

public sealed record HealthCheckBody(HealthCheckType Type, string? Path, int? TimeoutSeconds);

public sealed record CreateAppRequest(
    string? Name,
    int? Instances,
    int? MemoryMb,
    Dictionary<string, string>? Env,
    string? Command,
    HealthCheckBody? HealthCheck,
    AppState? State,
    string? Space = null,
    bool? NoRoute = null);

public sealed record UpdateAppRequest(
    string? Name,
    int? Instances,
    int? MemoryMb,
    Dictionary<string, string>? Env,
    string? Command,
    HealthCheckBody? HealthCheck,
    AppState? State,
    LoadBalancing? LoadBalancing = null,
    bool? StickySessions = null);

public sealed record InstanceView(
    int Index, Guid InstanceId, InstanceState State, string Node, string? Host, int? Port,
    DateTimeOffset Since, int Restarts, int? LastExitCode, string? Message,
    bool Flapping = false, int CrashesInARow = 0, DateTimeOffset? NextRestartAt = null);

public sealed record CrashView(
    DateTimeOffset Time, int Index, Guid InstanceId, string Node, int? ExitCode, string Reason,
    double RanForSeconds, IReadOnlyList<string> LastLines);

public sealed record NodeView(
    string Id, string Status, DateTimeOffset? LastHeartbeat, bool Draining, int Instances, int MemoryMb, int ReservedMemoryMb,
    string? Reason);

public sealed record DropletView(string Hash, string Framework, string StartCommand, long SizeBytes, DateTimeOffset StagedAt);

public sealed record StagingView(StagingState State, string? BuildId, string? PackageId, string? Error,
    DateTimeOffset? StartedAt, DateTimeOffset? FinishedAt);

public sealed record AppView(
    Guid Id, string Name, string Space, AppState State, int Instances, int MemoryMb,
    IReadOnlyDictionary<string, string> Env, string? Command, HealthCheckBody HealthCheck, long Version,
    DropletView? Droplet, StagingView Staging, int RunningInstances, IReadOnlyList<InstanceView> InstanceDetails,
    IReadOnlyList<string> Urls, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt,
    IReadOnlyList<string> Routes, LoadBalancing LoadBalancing, bool StickySessions);

public sealed record RouteView(string Host, Guid AppId, string AppName, string Url);

public sealed record MapRouteRequest(string? Host);

/// <summary>An app event; <c>actor</c> is the user whose request caused it, or <c>granary</c> for the platform's own.</summary>
public sealed record EventView(DateTimeOffset Time, string Type, string Message, IReadOnlyDictionary<string, string> Data, string Actor);

public sealed record LogLineView(long Seq, DateTimeOffset Time, string Source, LogStream Stream, string Text);

public sealed record BuildRequest(string? PackageId);

public sealed record BuildAccepted(string BuildId);

public sealed record PackageView(string PackageId, long SizeBytes, int FileCount, string? Framework);

/// <param name="Isolation">How this node isolates instances: full, or none (with <paramref name="IsolationProblems"/>); null without a DEA.</param>
public sealed record InfoView(string Version, string? Api, string? Edge, string Domain, string NodeId, IReadOnlyList<string> Roles,
    string? Isolation, IReadOnlyList<string> IsolationProblems);
