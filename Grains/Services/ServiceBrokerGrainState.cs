using System.Collections.Immutable;

namespace Granary.Services;

/// <summary>What a broker grain stores (JSON: property names are schema).</summary>
[GenerateSerializer, Alias("granary.service-broker-grain-state")]
public sealed class ServiceBrokerGrainState
{
    /// <summary>Null until registered and after deletion. Holds the broker's password.</summary>
    [Id(0)] public BrokerRegistration? Registration { get; set; }

    [Id(1)] public ImmutableArray<ServiceOffering> Catalog { get; set; } = [];

    [Id(2)] public DateTimeOffset CatalogFetchedAt { get; set; }

    /// <summary>Instances provisioned (or being provisioned) through this broker: it cannot be deleted while any remain.</summary>
    [Id(3)] public HashSet<Guid> Instances { get; set; } = [];

    /// <summary>Asynchronous operations being polled.</summary>
    [Id(4)] public List<PendingOperation> Pending { get; set; } = [];

    /// <summary>Deletes still to send for things that may exist at the broker but not on the platform.</summary>
    [Id(5)] public List<OrphanCleanup> Orphans { get; set; } = [];
}

[GenerateSerializer, Immutable, Alias("granary.pending-broker-operation")]
public sealed record PendingOperation(
    [property: Id(0)] Guid InstanceId,
    [property: Id(1)] OsbRequestKind Kind,
    [property: Id(2)] string ServiceId,
    [property: Id(3)] string PlanId,
    [property: Id(4)] string? Operation,
    [property: Id(5)] DateTimeOffset Deadline);

/// <summary>A deprovision (no binding id) or unbind to send until the broker says it is done or gone.</summary>
[GenerateSerializer, Immutable, Alias("granary.orphan-cleanup")]
public sealed record OrphanCleanup(
    [property: Id(0)] Guid InstanceId,
    [property: Id(1)] Guid? BindingId,
    [property: Id(2)] string ServiceId,
    [property: Id(3)] string PlanId,
    [property: Id(4)] int Attempts,
    [property: Id(5)] DateTimeOffset NextAttempt,
    [property: Id(6)] string Reason);
