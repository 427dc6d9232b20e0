using System.Collections.Immutable;
using Orleans.Concurrency;

namespace Granary.Health;

/// <summary>How the health manager sees one node.</summary>
[GenerateSerializer, Immutable, Alias("granary.node-health")]
public sealed record NodeHealth(
    [property: Id(0)] string NodeId,
    [property: Id(1)] string Status,
    [property: Id(2)] DateTimeOffset? LastHeartbeat,
    [property: Id(3)] bool Draining,
    [property: Id(4)] int Instances,
    [property: Id(5)] int MemoryMb,
    [property: Id(6)] int UsedMemoryMb,
    [property: Id(7)] string? Reason);

/// <summary>
/// The cluster's health manager (CF's Health Manager / HM9000): fed by heartbeats and exits on streams
/// and by apps' views; decides restarts, replacements and evacuations. Keyed by <see cref="HealthStreams.ClusterKey"/>.
/// </summary>
public interface IHealthManagerGrain : IGrainWithStringKey
{
    /// <summary>An app's desired state or placement changed (one-way: apps never wait on the manager).</summary>
    [OneWay]
    Task OnAppChanged(AppHealthView view);

    /// <summary>Every node the manager has heard from, with its liveness.</summary>
    Task<ImmutableArray<NodeHealth>> GetNodes();

    /// <summary>Runs a convergence pass now (also runs on its timer); returns the number of actions taken.</summary>
    Task<int> Converge();
}
