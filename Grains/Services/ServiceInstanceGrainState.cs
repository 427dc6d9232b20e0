using System.Collections.Immutable;

namespace Granary.Services;

[GenerateSerializer, Alias("granary.service-instance-state")]
public sealed class ServiceInstanceState
{
    /// <summary>Null until created, and again once deleted.</summary>
    [Id(0)] public ServiceInstanceDetails? Details { get; set; }

    [Id(1)] public string? ServiceId { get; set; }

    [Id(2)] public string? PlanId { get; set; }

    [Id(3)] public ImmutableArray<string> Tags { get; set; } = [];

    [Id(4)] public bool Bindable { get; set; } = true;

    /// <summary>A user-provided service's credentials (secret).</summary>
    [Id(5)] public ServiceCredentials? Credentials { get; set; }

    /// <summary>Bound apps and the binding id each got.</summary>
    [Id(6)] public Dictionary<Guid, Guid> Bindings { get; set; } = [];
}
