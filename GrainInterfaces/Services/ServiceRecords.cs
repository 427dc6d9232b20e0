using System.Collections.Immutable;

namespace Granary.Services;

/// <summary>How to reach a broker. The password never leaves the broker grain (no view carries it).</summary>
[GenerateSerializer, Immutable, Alias("granary.service-broker-registration")]
public sealed record BrokerRegistration(
    [property: Id(0)] string Name,
    [property: Id(1)] string Url,
    [property: Id(2)] string Username,
    [property: Id(3)] string Password)
{
    public override string ToString() => $"BrokerRegistration {{ Name = {Name}, Url = {Url}, Username = {Username}, Password = *** }}";
}

[GenerateSerializer, Immutable, Alias("granary.service-plan")]
public sealed record ServicePlan(
    [property: Id(0)] string Id,
    [property: Id(1)] string Name,
    [property: Id(2)] string Description,
    [property: Id(3)] bool Free,
    [property: Id(4)] bool Bindable,
    [property: Id(5)] int? MaximumPollingDurationSeconds);

/// <summary>A service offering from a broker's catalog, as the marketplace lists it.</summary>
[GenerateSerializer, Immutable, Alias("granary.service-offering")]
public sealed record ServiceOffering(
    [property: Id(0)] string Id,
    [property: Id(1)] string Name,
    [property: Id(2)] string Description,
    [property: Id(3)] bool Bindable,
    [property: Id(4)] ImmutableArray<string> Tags,
    [property: Id(5)] ImmutableArray<ServicePlan> Plans);

[GenerateSerializer, Immutable, Alias("granary.service-broker-info")]
public sealed record ServiceBrokerInfo(
    [property: Id(0)] string Name,
    [property: Id(1)] string Url,
    [property: Id(2)] string Username,
    [property: Id(3)] ImmutableArray<ServiceOffering> Services,
    [property: Id(4)] DateTimeOffset CatalogFetchedAt);

public enum BrokerOperationState
{
    Succeeded = 1,
    InProgress = 2,
    Failed = 3,
}

/// <summary>How a provision or deprovision went: done, accepted (the broker grain polls), or failed.</summary>
[GenerateSerializer, Immutable, Alias("granary.broker-operation-result")]
public sealed record BrokerOperationResult(
    [property: Id(0)] BrokerOperationState State,
    [property: Id(1)] string? Description);

/// <summary>
/// A binding's credentials as the broker sent them (a JSON object). ToString never shows them, so a log
/// line or exception message that mentions one leaks nothing.
/// </summary>
[GenerateSerializer, Immutable, Alias("granary.service-credentials")]
public sealed record ServiceCredentials([property: Id(0)] string Json)
{
    public static ServiceCredentials Empty { get; } = new("{}");

    public override string ToString() => "ServiceCredentials { *** }";
}

public enum ServiceInstanceKind
{
    Managed = 1,
    UserProvided = 2,
}

public enum ServiceInstanceStatus
{
    CreateInProgress = 1,
    Ready = 2,
    CreateFailed = 3,
    DeleteInProgress = 4,
    DeleteFailed = 5,
}

/// <summary>A service instance as users see it: never its credentials.</summary>
[GenerateSerializer, Immutable, Alias("granary.service-instance-details")]
public sealed record ServiceInstanceDetails(
    [property: Id(0)] Guid Id,
    [property: Id(1)] string Name,
    [property: Id(2)] ServiceInstanceKind Kind,
    [property: Id(3)] string? Broker,
    [property: Id(4)] string? Service,
    [property: Id(5)] string? Plan,
    [property: Id(6)] ServiceInstanceStatus Status,
    [property: Id(7)] string? Message,
    [property: Id(8)] ImmutableArray<Guid> BoundApps,
    [property: Id(9)] DateTimeOffset CreatedAt,
    [property: Id(10)] DateTimeOffset UpdatedAt);

/// <summary>One app's binding to one instance, with what the app's environment needs.</summary>
[GenerateSerializer, Immutable, Alias("granary.service-binding")]
public sealed record ServiceBinding(
    [property: Id(0)] Guid BindingId,
    [property: Id(1)] Guid AppId,
    [property: Id(2)] Guid InstanceId,
    [property: Id(3)] string InstanceName,
    [property: Id(4)] string Label,
    [property: Id(5)] string? Plan,
    [property: Id(6)] ImmutableArray<string> Tags,
    [property: Id(7)] ServiceCredentials Credentials,
    [property: Id(8)] DateTimeOffset CreatedAt);
