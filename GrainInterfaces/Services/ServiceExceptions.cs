namespace Granary.Services;

/// <summary>No service instance or broker of that name.</summary>
[GenerateSerializer, Alias("granary.service-not-found")]
public sealed class ServiceNotFoundException(string message) : Exception(message);

/// <summary>The name is taken, the instance is bound, or an operation is in progress; the message says which.</summary>
[GenerateSerializer, Alias("granary.service-conflict")]
public sealed class ServiceConflictException(string message) : Exception(message);

/// <summary>The request breaks a rule (a bad name, an unknown plan, credentials that are not a JSON object).</summary>
[GenerateSerializer, Alias("granary.invalid-service-request")]
public sealed class InvalidServiceRequestException(string message) : Exception(message);

/// <summary>The broker refused, failed, timed out or answered something the spec does not allow.</summary>
[GenerateSerializer, Alias("granary.service-broker-failed")]
public sealed class ServiceBrokerException(string message) : Exception(message);
