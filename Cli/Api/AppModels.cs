using System.Text.Json;

namespace Granary.Cli.Api;

// The CLI keeps its own copies of the wire shapes (it references no product project). Enum-like
// fields stay strings so a server that adds a state never breaks an older CLI.

internal sealed record App(
    string Id,
    string Name,
    string? Space,
    string State,
    int Instances,
    int MemoryMb,
    Dictionary<string, string>? Env,
    string? Command,
    HealthCheck? HealthCheck,
    long Version,
    Droplet? Droplet,
    Staging? Staging,
    int RunningInstances,
    List<Instance>? InstanceDetails,
    List<string>? Urls,
    DateTimeOffset? CreatedAt,
    DateTimeOffset? UpdatedAt,
    List<string>? Routes = null,
    string? LoadBalancing = null,
    bool? StickySessions = null);

internal sealed record HealthCheck(string Type, string? Path, int TimeoutSeconds);

internal sealed record Droplet(string Hash, string? Framework, string? StartCommand, long SizeBytes, DateTimeOffset? StagedAt);

internal sealed record Staging(
    string State,
    string? BuildId,
    string? PackageId,
    string? Error,
    DateTimeOffset? StartedAt,
    DateTimeOffset? FinishedAt);

internal sealed record Instance(
    int Index,
    string? InstanceId,
    string State,
    string? Node,
    string? Host,
    int? Port,
    DateTimeOffset? Since,
    int Restarts,
    int? LastExitCode,
    string? Message,
    string? DropletHash,
    bool Flapping = false,
    int CrashesInARow = 0,
    DateTimeOffset? NextRestartAt = null);

/// <summary>One row of <c>GET /v1/apps/{id}/crashes</c>.</summary>
internal sealed record Crash(
    DateTimeOffset Time, int Index, string? InstanceId, string? Node, int? ExitCode, string? Reason,
    double RanForSeconds, List<string>? LastLines);

/// <summary>One row of <c>GET /v1/nodes</c>: a DEA as the health manager sees it.</summary>
internal sealed record Node(
    string Id, string Status, DateTimeOffset? LastHeartbeat, bool Draining, int Instances, int MemoryMb, int ReservedMemoryMb,
    string? Reason);

internal sealed record AppEvent(DateTimeOffset Time, string Type, string? Message, JsonElement? Data, string? Actor = null);

internal sealed record LogLine(long Seq, DateTimeOffset Time, string? Source, string? Stream, string? Text);

/// <summary>GET /v1/apps/{id}/stats: one instance's CPU, memory and uptime.</summary>
internal sealed record InstanceStat(int Index, string? InstanceId, string State, string? Node, double? CpuPercent, long? MemoryBytes,
    long MemoryLimitBytes, double? UptimeSeconds);

internal sealed record ServerInfo(string? Version, string? Api, string? Edge, string? Domain, string? NodeId, string? Isolation = null,
    List<string>? IsolationProblems = null);

internal sealed record PackageUploaded(string PackageId, long SizeBytes, int FileCount, string? Framework);

internal sealed record BuildStarted(string BuildId);

/// <summary>One row of <c>GET /v1/routes</c>: a host name and the app the edge sends it to.</summary>
internal sealed record RouteEntry(string Host, string AppId, string? AppName, string? Url);

internal sealed record Problem(string? Type, string? Title, int? Status, string? Detail);

internal static class AppStates
{
    public const string Started = "STARTED";
    public const string Stopped = "STOPPED";
}

internal static class LoadBalancingModes
{
    public const string RoundRobin = "ROUND_ROBIN";
    public const string LeastRequests = "LEAST_REQUESTS";
}

internal static class InstanceStates
{
    public const string Starting = "STARTING";
    public const string Running = "RUNNING";
    public const string Crashed = "CRASHED";

    /// <summary>Shown for a CRASHED instance the health manager is holding back (crash backoff).</summary>
    public const string Flapping = "FLAPPING";
}

internal static class StagingStates
{
    public const string Staged = "STAGED";
    public const string Failed = "FAILED";
}
