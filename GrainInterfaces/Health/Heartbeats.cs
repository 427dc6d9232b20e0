using System.Collections.Immutable;
using Granary.Instances;
using Granary.Nodes;

namespace Granary.Health;

/// <summary>One instance as its node sees it right now.</summary>
[GenerateSerializer, Immutable, Alias("granary.heartbeat-instance")]
public sealed record HeartbeatInstance(
    [property: Id(0)] Guid InstanceId,
    [property: Id(1)] Guid AppId,
    [property: Id(2)] int Index,
    [property: Id(3)] InstanceState State,
    [property: Id(4)] DateTimeOffset Since);

/// <summary>
/// What a DEA says every heartbeat interval: it is alive, what it can hold, and every instance it runs.
/// Complete each time, so one lost heartbeat is healed by the next.
/// </summary>
[GenerateSerializer, Immutable, Alias("granary.dea-heartbeat")]
public sealed record DeaHeartbeat(
    [property: Id(0)] string NodeId,
    [property: Id(1)] string SiloAddress,
    [property: Id(2)] NodeCapacity Capacity,
    [property: Id(3)] bool Draining,
    [property: Id(4)] ImmutableArray<HeartbeatInstance> Instances,
    [property: Id(5)] DateTimeOffset SentAt);

/// <summary>An instance's process ended: published at once, like NATS's <c>droplet.exited</c>.</summary>
[GenerateSerializer, Immutable, Alias("granary.instance-exit")]
public sealed record InstanceExit(
    [property: Id(0)] Guid InstanceId,
    [property: Id(1)] Guid AppId,
    [property: Id(2)] int Index,
    [property: Id(3)] string NodeId,
    [property: Id(4)] bool Crashed,
    [property: Id(5)] int? ExitCode,
    [property: Id(6)] string Reason,
    [property: Id(7)] DateTimeOffset StartedAt,
    [property: Id(8)] DateTimeOffset ExitedAt,
    [property: Id(9)] ImmutableArray<string> LastLines);
