using System.Collections.Immutable;
using Granary.Apps;
using Microsoft.Extensions.Logging;

namespace Granary.Services;

/// <summary>
/// A service instance: its status follows the broker's operations; its bindings live here (which apps)
/// and in each app's <see cref="IAppBindingsGrain"/> (the credentials the app's instances get).
/// </summary>
public sealed partial class ServiceInstanceGrain(
    [PersistentState("service-instance", GrainStorage.Name)] IPersistentState<ServiceInstanceState> state,
    TimeProvider time,
    ILogger<ServiceInstanceGrain> logger) : Grain, IServiceInstanceGrain
{
    private Guid Id => this.GetPrimaryKey();

    public async Task<ServiceInstanceDetails> CreateManaged(string name, string broker, ServiceOffering offering, ServicePlan plan)
    {
        if (state.State.Details is not null)
            throw new ServiceConflictException($"service instance {Id} already exists");
        var now = time.GetUtcNow();
        state.State = new ServiceInstanceState
        {
            Details = new ServiceInstanceDetails(Id, name, ServiceInstanceKind.Managed, broker, offering.Name, plan.Name,
                ServiceInstanceStatus.CreateInProgress, null, [], now, now),
            ServiceId = offering.Id,
            PlanId = plan.Id,
            Tags = offering.Tags,
            Bindable = plan.Bindable,
        };
        await state.WriteStateAsync();
        var result = await Broker().Provision(Id, offering.Id, plan.Id);
        if (result.State == BrokerOperationState.Failed)
        {
            await ForgetAsync();
            throw new ServiceBrokerException(result.Description ?? "the broker could not create the service");
        }
        LogCreated(Id, name, offering.Name, plan.Name, result.State);
        return await SetStatusAsync(result.State == BrokerOperationState.Succeeded ? ServiceInstanceStatus.Ready : ServiceInstanceStatus.CreateInProgress, result.Description);
    }

    public async Task<ServiceInstanceDetails> CreateUserProvided(string name, ServiceCredentials credentials)
    {
        if (state.State.Details is not null)
            throw new ServiceConflictException($"service instance {Id} already exists");
        var now = time.GetUtcNow();
        state.State = new ServiceInstanceState
        {
            Details = new ServiceInstanceDetails(Id, name, ServiceInstanceKind.UserProvided, null, null, null,
                ServiceInstanceStatus.Ready, null, [], now, now),
            Credentials = credentials,
        };
        await state.WriteStateAsync();
        return state.State.Details;
    }

    public Task<ServiceInstanceDetails?> Get() => Task.FromResult(state.State.Details);

    public async Task<ServiceInstanceDetails?> Delete()
    {
        var details = Existing();
        await ForgetBindingsOfDeletedAppsAsync();
        if (state.State.Bindings.Count > 0)
        {
            var names = await AppNamesAsync(state.State.Bindings.Keys);
            throw new ServiceConflictException(
                $"{details.Name} is bound to {string.Join(", ", names)}; unbind it first (granary unbind-service APP {details.Name})");
        }
        if (details.Status is ServiceInstanceStatus.CreateInProgress or ServiceInstanceStatus.DeleteInProgress)
            throw new ServiceConflictException($"{details.Name} is busy ({Describe(details.Status)}); wait until granary services shows it done");
        if (details.Kind == ServiceInstanceKind.UserProvided)
        {
            await ForgetAsync();
            return null;
        }
        var result = await Broker().Deprovision(Id, state.State.ServiceId!, state.State.PlanId!);
        switch (result.State)
        {
            case BrokerOperationState.Succeeded:
                await ForgetAsync();
                return null;
            case BrokerOperationState.InProgress:
                return await SetStatusAsync(ServiceInstanceStatus.DeleteInProgress, result.Description);
            default:
                await SetStatusAsync(ServiceInstanceStatus.DeleteFailed, result.Description);
                throw new ServiceBrokerException(result.Description ?? "the broker could not delete the service");
        }
    }

    public async Task OnBrokerOperationFinished(BrokerOperationResult result)
    {
        if (state.State.Details is not { } details)
            return;
        switch (details.Status, result.State)
        {
            case (ServiceInstanceStatus.CreateInProgress, BrokerOperationState.Succeeded):
                await SetStatusAsync(ServiceInstanceStatus.Ready, result.Description);
                break;
            case (ServiceInstanceStatus.CreateInProgress, _):
                await SetStatusAsync(ServiceInstanceStatus.CreateFailed, result.Description);
                break;
            case (ServiceInstanceStatus.DeleteInProgress, BrokerOperationState.Succeeded):
                await ForgetAsync();
                break;
            case (ServiceInstanceStatus.DeleteInProgress, _):
                await SetStatusAsync(ServiceInstanceStatus.DeleteFailed, result.Description);
                break;
        }
    }

    private IServiceBrokerGrain Broker() => GrainFactory.GetGrain<IServiceBrokerGrain>(Existing().Broker!);

    private ServiceInstanceDetails Existing() =>
        state.State.Details ?? throw new ServiceNotFoundException($"service instance {Id} does not exist");

    private async Task<ServiceInstanceDetails> SetStatusAsync(ServiceInstanceStatus status, string? message)
    {
        state.State.Details = Existing() with
        {
            Status = status,
            Message = message,
            BoundApps = [.. state.State.Bindings.Keys],
            UpdatedAt = time.GetUtcNow(),
        };
        await state.WriteStateAsync();
        return state.State.Details;
    }

    private async Task ForgetAsync()
    {
        if (state.State.Details is { } details)
            await GrainFactory.GetGrain<IServiceRegistryGrain>(0).ReleaseInstance(details.Name, Id);
        await state.ClearStateAsync();
        state.State = new ServiceInstanceState();
    }

    private async Task<List<string>> AppNamesAsync(IEnumerable<Guid> appIds)
    {
        var names = new List<string>();
        foreach (var appId in appIds)
            names.Add((await GrainFactory.GetGrain<IAppGrain>(appId).Get())?.Spec.Name ?? appId.ToString());
        return names;
    }

    private static string Describe(ServiceInstanceStatus status) => status switch
    {
        ServiceInstanceStatus.CreateInProgress => "create in progress",
        ServiceInstanceStatus.DeleteInProgress => "delete in progress",
        _ => status.ToString(),
    };

    [LoggerMessage(Level = LogLevel.Information, Message = "Service instance {InstanceId} ({Name}) of {Service} {Plan}: provision {State}")]
    private partial void LogCreated(Guid instanceId, string name, string service, string plan, BrokerOperationState state);
}
