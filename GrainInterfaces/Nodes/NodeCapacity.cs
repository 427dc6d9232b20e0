using System.Collections.Immutable;

namespace Granary.Nodes;

/// <summary>A DEA node's capacity report (what <c>dea.advertise</c> carried in Cloud Foundry).</summary>
[GenerateSerializer, Immutable, Alias("granary.node-capacity")]
public sealed record NodeCapacity(
    [property: Id(0)] string NodeId,
    [property: Id(1)] int TotalMemoryMb,
    [property: Id(2)] int ReservedMemoryMb,
    [property: Id(3)] int InstanceCount,
    [property: Id(4)] ImmutableDictionary<Guid, int> InstancesPerApp,
    [property: Id(5)] DateTimeOffset ReportedAt)
{
    public int FreeMemoryMb => TotalMemoryMb - ReservedMemoryMb;
}
