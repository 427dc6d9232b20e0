using System.Collections.Immutable;

namespace Granary.Config;

/// <summary>The cluster-wide settings at one version; keys are configuration paths like <c>Granary:Health:HeartbeatInterval</c>.</summary>
[GenerateSerializer, Immutable, Alias("granary.cluster-config")]
public sealed record ClusterConfigSnapshot(
    [property: Id(0)] long Version,
    [property: Id(1)] ImmutableSortedDictionary<string, string> Values)
{
    public static readonly ClusterConfigSnapshot Empty = new(0, ImmutableSortedDictionary<string, string>.Empty);
}

/// <summary>A key the cluster config does not hold, or a value that key cannot take.</summary>
[GenerateSerializer, Alias("granary.invalid-cluster-config")]
public sealed class InvalidClusterConfigException(string message) : Exception(message);
