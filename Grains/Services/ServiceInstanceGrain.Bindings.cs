using System.Collections.Immutable;
using Granary.Apps;
using Microsoft.Extensions.Logging;

namespace Granary.Services;

/// <summary>Bind and unbind. Like Cloud Foundry, a change reaches running instances at their next restart.</summary>
public sealed partial class ServiceInstanceGrain
{
    public async Task<ServiceBinding> Bind(Guid appId)
    {
        var details = Existing();
        if (state.State.Bindings.ContainsKey(appId))
        {
            var existing = (await GrainFactory.GetGrain<IAppBindingsGrain>(appId).List()).FirstOrDefault(b => b.InstanceId == Id);
            if (existing is not null)
                return existing;
        }
        if (details.Status != ServiceInstanceStatus.Ready)
            throw new ServiceConflictException($"{details.Name} cannot be bound while {Describe(details.Status)}; granary services shows its status");
        if (!state.State.Bindable)
            throw new InvalidServiceRequestException($"{details.Name}'s plan is not bindable");
        var bindingId = Guid.NewGuid();
        var credentials = details.Kind == ServiceInstanceKind.UserProvided
            ? state.State.Credentials ?? ServiceCredentials.Empty
            : await Broker().Bind(Id, bindingId, state.State.ServiceId!, state.State.PlanId!, appId);
        var binding = new ServiceBinding(bindingId, appId, Id, details.Name, details.Service ?? "user-provided", details.Plan,
            state.State.Tags, credentials, time.GetUtcNow());
        try
        {
            await GrainFactory.GetGrain<IAppBindingsGrain>(appId).Add(binding);
        }
        catch when (details.Kind == ServiceInstanceKind.Managed)
        {
            // The platform failed after the broker made the binding: orphan mitigation says delete it.
            await UnbindAtBrokerQuietlyAsync(bindingId);
            throw;
        }
        state.State.Bindings[appId] = bindingId;
        await SetStatusAsync(details.Status, details.Message);
        ServiceTelemetry.Bindings.Add(1, new KeyValuePair<string, object?>("action", "bind"));
        await RecordAsync(appId, AppServiceEvents.Bound, $"bound service {details.Name}; restart the app to use it (granary restart APP)");
        LogBound(Id, details.Name, appId);
        return binding;
    }

    public async Task Unbind(Guid appId)
    {
        var details = Existing();
        if (!state.State.Bindings.TryGetValue(appId, out var bindingId))
            throw new ServiceNotFoundException($"the app is not bound to {details.Name}");
        if (details.Kind == ServiceInstanceKind.Managed)
            await Broker().Unbind(Id, bindingId, state.State.ServiceId!, state.State.PlanId!);
        await GrainFactory.GetGrain<IAppBindingsGrain>(appId).Remove(Id);
        state.State.Bindings.Remove(appId);
        await SetStatusAsync(details.Status, details.Message);
        ServiceTelemetry.Bindings.Add(1, new KeyValuePair<string, object?>("action", "unbind"));
        await RecordAsync(appId, AppServiceEvents.Unbound, $"unbound service {details.Name}; running instances keep the old environment until restarted");
        LogUnbound(Id, details.Name, appId);
    }

    /// <summary>An app deleted without unbinding leaves its bindings here; drop them so the service can go.</summary>
    private async Task ForgetBindingsOfDeletedAppsAsync()
    {
        foreach (var (appId, bindingId) in state.State.Bindings.ToList())
        {
            if (await GrainFactory.GetGrain<IAppGrain>(appId).Get() is not null)
                continue;
            if (Existing().Kind == ServiceInstanceKind.Managed)
                await Broker().Unbind(Id, bindingId, state.State.ServiceId!, state.State.PlanId!);
            await GrainFactory.GetGrain<IAppBindingsGrain>(appId).Remove(Id);
            state.State.Bindings.Remove(appId);
        }
        await state.WriteStateAsync();
    }

    private async Task UnbindAtBrokerQuietlyAsync(Guid bindingId)
    {
        try
        {
            await Broker().Unbind(Id, bindingId, state.State.ServiceId!, state.State.PlanId!);
        }
        catch (ServiceBrokerException e)
        {
            LogOrphanedBinding(e, Id, bindingId);
        }
    }

    private async Task RecordAsync(Guid appId, string type, string message)
    {
        await GrainFactory.GetGrain<IAppGrain>(appId).RecordServiceEvent(type, message,
            ImmutableDictionary<string, string>.Empty.Add("service", Existing().Name));
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Service instance {InstanceId} ({Name}) bound to app {AppId}")]
    private partial void LogBound(Guid instanceId, string name, Guid appId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Service instance {InstanceId} ({Name}) unbound from app {AppId}")]
    private partial void LogUnbound(Guid instanceId, string name, Guid appId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Service instance {InstanceId}: binding {BindingId} may be left at the broker")]
    private partial void LogOrphanedBinding(Exception error, Guid instanceId, Guid bindingId);
}
