namespace Granary.Services;

/// <summary>
/// One registered broker (key: its name), speaking the Open Service Broker API 2.17 to it: catalog,
/// provision, bind, unbind, deprovision, last_operation polling on a timer, and orphan mitigation.
/// </summary>
public interface IServiceBrokerGrain : IGrainWithStringKey
{
    /// <summary>Fetches the catalog with these credentials and, if that works, remembers the broker.</summary>
    Task<ServiceBrokerInfo> Register(BrokerRegistration registration);

    /// <summary>The broker and its cached catalog, or null when not registered.</summary>
    Task<ServiceBrokerInfo?> Get();

    /// <summary>Fetches the catalog again.</summary>
    Task<ServiceBrokerInfo> RefreshCatalog();

    /// <summary>Forgets the broker; refused (ServiceConflictException) while it has service instances.</summary>
    Task Delete();

    /// <summary>Provisions with accepts_incomplete=true; an InProgress answer ends with <see cref="IServiceInstanceGrain.OnBrokerOperationFinished"/>.</summary>
    Task<BrokerOperationResult> Provision(Guid instanceId, string serviceId, string planId);

    /// <summary>Deprovisions; 410 Gone counts as success. InProgress ends like <see cref="Provision"/>.</summary>
    Task<BrokerOperationResult> Deprovision(Guid instanceId, string serviceId, string planId);

    /// <summary>Creates a binding synchronously and returns its credentials.</summary>
    Task<ServiceCredentials> Bind(Guid instanceId, Guid bindingId, string serviceId, string planId, Guid appId);

    /// <summary>Deletes a binding; 410 Gone counts as success.</summary>
    Task Unbind(Guid instanceId, Guid bindingId, string serviceId, string planId);

    /// <summary>Requests the broker still has to be sent to clean up after failures (for tests and operators).</summary>
    Task<int> PendingOrphanCleanups();
}
