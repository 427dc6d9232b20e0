namespace Granary.Instances;

/// <summary>The actual state of one instance (never the user's wish: that is the app's spec).</summary>
[GenerateSerializer, Immutable, Alias("granary.instance-info")]
public sealed record InstanceInfo(
    [property: Id(0)] Guid InstanceId,
    [property: Id(1)] Guid AppId,
    [property: Id(2)] int Index,
    [property: Id(3)] InstanceState State,
    [property: Id(4)] string NodeId,
    [property: Id(5)] string? Host,
    [property: Id(6)] int? Port,
    [property: Id(7)] DateTimeOffset Since,
    [property: Id(8)] int Restarts,
    [property: Id(9)] int? LastExitCode,
    [property: Id(10)] string? Message,
    [property: Id(11)] string DropletHash,
    [property: Id(12)] int CrashesInARow = 0,
    [property: Id(13)] DateTimeOffset? NextRestartAt = null)
{
    /// <summary>Crashed too often in a row: the health manager restarts it only after a growing delay.</summary>
    [Id(14)] public bool Flapping { get; init; }
}

/// <summary>What a node says happened to an instance it runs.</summary>
[GenerateSerializer, Immutable, Alias("granary.instance-report")]
public sealed record InstanceReport(
    [property: Id(0)] Guid InstanceId,
    [property: Id(1)] InstanceState State,
    [property: Id(2)] string? Host,
    [property: Id(3)] int? Port,
    [property: Id(4)] int? ExitCode,
    [property: Id(5)] string? Message);
