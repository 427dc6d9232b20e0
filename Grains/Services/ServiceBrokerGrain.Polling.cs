using Microsoft.Extensions.Logging;

namespace Granary.Services;

/// <summary>The timer's work: poll last_operation of accepted operations, and send orphan-mitigation deletes.</summary>
public sealed partial class ServiceBrokerGrain
{
    private async Task TickAsync(CancellationToken ct)
    {
        if (state.State.Registration is null)
            return;
        foreach (var pending in state.State.Pending.ToList())
            await PollAsync(pending);
        foreach (var orphan in state.State.Orphans.Where(o => o.NextAttempt <= time.GetUtcNow()).ToList())
            await CleanUpAsync(orphan);
        await state.WriteStateAsync();
        EnsureTimer();
    }

    private async Task PollAsync(PendingOperation pending)
    {
        var query = $"service_id={Uri.EscapeDataString(pending.ServiceId)}&plan_id={Uri.EscapeDataString(pending.PlanId)}"
            + (pending.Operation is null ? "" : $"&operation={Uri.EscapeDataString(pending.Operation)}");
        var reply = await http.SendAsync(Registered(), HttpMethod.Get, $"v2/service_instances/{pending.InstanceId}/last_operation?{query}", null);
        var poll = LastOperation.Interpret(pending.Kind, reply);
        if (poll is null)
        {
            if (time.GetUtcNow() < pending.Deadline)
                return;
            poll = new BrokerOperationResult(BrokerOperationState.Failed, "the broker did not finish within the maximum polling duration");
        }
        if (poll.State == BrokerOperationState.InProgress)
            return;
        state.State.Pending.Remove(pending);
        if (pending.Kind == OsbRequestKind.Provision && poll.State == BrokerOperationState.Failed)
            AddOrphan(new OrphanCleanup(pending.InstanceId, null, pending.ServiceId, pending.PlanId, 0, time.GetUtcNow(), poll.Description ?? "provision failed"));
        if (pending.Kind == OsbRequestKind.Deprovision && poll.State == BrokerOperationState.Succeeded)
            state.State.Instances.Remove(pending.InstanceId);
        LogOperationFinished(Name, pending.InstanceId, pending.Kind, poll.State);
        await GrainFactory.GetGrain<IServiceInstanceGrain>(pending.InstanceId).OnBrokerOperationFinished(poll);
    }

    private async Task CleanUpAsync(OrphanCleanup orphan)
    {
        var query = $"service_id={Uri.EscapeDataString(orphan.ServiceId)}&plan_id={Uri.EscapeDataString(orphan.PlanId)}";
        var (kind, path) = orphan.BindingId is { } bindingId
            ? (OsbRequestKind.Unbind, $"v2/service_instances/{orphan.InstanceId}/service_bindings/{bindingId}?{query}")
            : (OsbRequestKind.Deprovision, $"v2/service_instances/{orphan.InstanceId}?accepts_incomplete=true&{query}");
        var outcome = OsbOutcomes.Classify(kind, await http.SendAsync(Registered(), HttpMethod.Delete, path, null));
        state.State.Orphans.Remove(orphan);
        // 202: the broker is deleting it now; that is all mitigation asks for.
        if (outcome.Succeeded)
        {
            ServiceTelemetry.OrphanCleanups.Add(1, new KeyValuePair<string, object?>("outcome", "done"));
            if (orphan.BindingId is null)
                state.State.Instances.Remove(orphan.InstanceId);
            LogOrphanCleaned(Name, orphan.InstanceId, orphan.BindingId);
            return;
        }
        ServiceTelemetry.OrphanCleanups.Add(1, new KeyValuePair<string, object?>("outcome", "retry"));
        var wait = OrphanBackoff(options.Value.OrphanRetryInterval, orphan.Attempts + 1);
        state.State.Orphans.Add(orphan with { Attempts = orphan.Attempts + 1, NextAttempt = time.GetUtcNow() + wait });
    }

    /// <summary>Doubling from the configured interval, capped at 5 minutes: the spec says keep trying until it works.</summary>
    public static TimeSpan OrphanBackoff(TimeSpan first, int attempts) =>
        TimeSpan.FromTicks(Math.Min(first.Ticks * (1L << Math.Min(attempts - 1, 16)), TimeSpan.FromMinutes(5).Ticks));

    [LoggerMessage(Level = LogLevel.Information, Message = "Service broker {Broker} registered at {Url} with {Services} service(s)")]
    private partial void LogRegistered(string broker, string url, int services);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Service broker {Broker}: {Kind} answered {Status}: {Description} (orphan mitigation: {Mitigate})")]
    private partial void LogRequestFailed(string broker, OsbRequestKind kind, int? status, string description, bool mitigate);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Service broker {Broker}: will delete instance {InstanceId} binding {BindingId} it may hold: {Reason}")]
    private partial void LogOrphan(string broker, Guid instanceId, Guid? bindingId, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Service broker {Broker}: orphan instance {InstanceId} binding {BindingId} cleaned up")]
    private partial void LogOrphanCleaned(string broker, Guid instanceId, Guid? bindingId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Service broker {Broker}: {Kind} of {InstanceId} finished: {State}")]
    private partial void LogOperationFinished(string broker, Guid instanceId, OsbRequestKind kind, BrokerOperationState state);
}
