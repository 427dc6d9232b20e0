namespace Granary.Nodes;

/// <summary>What one instance uses now, read from its cgroup (null where the node cannot tell: unisolated instances).</summary>
/// <param name="CpuPercent">CPU time over a short sample, in percent of one core.</param>
[GenerateSerializer, Immutable, Alias("granary.instance-stats")]
public sealed record InstanceStats(
    [property: Id(0)] Guid InstanceId,
    [property: Id(1)] double? CpuPercent,
    [property: Id(2)] long? MemoryBytes,
    [property: Id(3)] long MemoryLimitBytes,
    [property: Id(4)] DateTimeOffset StartedAt);
