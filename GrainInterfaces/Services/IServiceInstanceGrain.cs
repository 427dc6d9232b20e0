using Orleans.Concurrency;

namespace Granary.Services;

/// <summary>A service instance (key: its id): a broker-managed one or a user-provided one.</summary>
public interface IServiceInstanceGrain : IGrainWithGuidKey
{
    /// <summary>Provisions through the broker; the answer may be CreateInProgress while the broker works.</summary>
    Task<ServiceInstanceDetails> CreateManaged(string name, string broker, ServiceOffering offering, ServicePlan plan);

    /// <summary>An instance whose credentials the user gives (a JSON object); no broker is involved.</summary>
    Task<ServiceInstanceDetails> CreateUserProvided(string name, ServiceCredentials credentials);

    /// <summary>The instance, or null if it does not exist.</summary>
    Task<ServiceInstanceDetails?> Get();

    /// <summary>Deprovisions; refused while apps are bound. Null when it is gone, else the instance (DeleteInProgress).</summary>
    Task<ServiceInstanceDetails?> Delete();

    /// <summary>Binds the app (idempotent: an app already bound gets its binding back).</summary>
    Task<ServiceBinding> Bind(Guid appId);

    /// <summary>Unbinds the app; throws ServiceNotFoundException if it is not bound.</summary>
    Task Unbind(Guid appId);

    /// <summary>The broker grain's report of an asynchronous operation it polled to the end.</summary>
    [OneWay]
    Task OnBrokerOperationFinished(BrokerOperationResult result);
}
