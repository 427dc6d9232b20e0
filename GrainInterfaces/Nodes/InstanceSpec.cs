using System.Collections.Immutable;
using Granary.Apps;

namespace Granary.Nodes;

/// <summary>Everything a node needs to run one instance of an app.</summary>
[GenerateSerializer, Immutable, Alias("granary.instance-spec")]
public sealed record InstanceSpec(
    [property: Id(0)] Guid InstanceId,
    [property: Id(1)] Guid AppId,
    [property: Id(2)] string AppName,
    [property: Id(3)] int Index,
    [property: Id(4)] string DropletHash,
    [property: Id(5)] string StartCommand,
    [property: Id(6)] int MemoryMb,
    [property: Id(7)] ImmutableDictionary<string, string> Env,
    [property: Id(8)] HealthCheckSpec HealthCheck,
    [property: Id(9)] ImmutableArray<string> Uris);
