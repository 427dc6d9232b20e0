using Granary.Brokers.Postgres.Hosting;
using Granary.Brokers.Postgres.Osb;
using Granary.Brokers.Postgres.Store;

namespace Granary.Brokers.Postgres.Provisioning;

public enum ExecutionMode { Synchronous = 0, Asynchronous = 1, RejectAsyncRequired = 2 }

public enum ProvisionVerdict { Create = 0, Retry = 1, AlreadyProvisioned = 2, StillProvisioning = 3, Conflict = 4, Busy = 5 }

public enum DeprovisionVerdict { Delete = 0, Gone = 1, Mismatch = 2, StillDeprovisioning = 3, Busy = 4 }

public enum BindVerdict { Create = 0, AlreadyBound = 1, NoInstance = 2, Mismatch = 3, InstanceBusy = 4, Conflict = 5, StillBinding = 6 }

public enum UnbindVerdict { Unbind = 0, Gone = 1, Mismatch = 2 }

/// <summary>
/// What the spec says to answer, as pure functions of the request and the bookkeeping. The endpoints
/// only gather the inputs and carry out the verdict.
/// </summary>
public static class BrokerDecisions
{
    public static ExecutionMode Choose(AsyncPolicy policy, bool acceptsIncomplete) => (policy, acceptsIncomplete) switch
    {
        (AsyncPolicy.Never, _) => ExecutionMode.Synchronous,
        (_, true) => ExecutionMode.Asynchronous,
        (AsyncPolicy.Required, false) => ExecutionMode.RejectAsyncRequired,
        _ => ExecutionMode.Synchronous,
    };

    public static ProvisionVerdict Provision(InstanceRecord? existing, ProvisionRequest request, bool acceptsIncomplete)
    {
        if (existing is null)
            return ProvisionVerdict.Create;
        if (existing.ServiceId != request.ServiceId || existing.PlanId != request.Plan.Id)
            return ProvisionVerdict.Conflict;
        return existing.State switch
        {
            InstanceState.Ready => ProvisionVerdict.AlreadyProvisioned,
            // A re-sent PUT MUST get 202 with the same operation; without accepts_incomplete it cannot.
            InstanceState.Provisioning => acceptsIncomplete ? ProvisionVerdict.StillProvisioning : ProvisionVerdict.Busy,
            // A failed provision left nothing behind that the same request cannot make again.
            InstanceState.Failed => ProvisionVerdict.Retry,
            _ => ProvisionVerdict.Busy,
        };
    }

    public static DeprovisionVerdict Deprovision(InstanceRecord? existing, string serviceId, string planId, bool acceptsIncomplete)
    {
        if (existing is null)
            return DeprovisionVerdict.Gone;
        if (existing.ServiceId != serviceId || existing.PlanId != planId)
            return DeprovisionVerdict.Mismatch;
        return existing.State switch
        {
            InstanceState.Ready or InstanceState.Failed => DeprovisionVerdict.Delete,
            InstanceState.Deprovisioning when acceptsIncomplete => DeprovisionVerdict.StillDeprovisioning,
            // Deleting mid-provision would have to halt the provision; the spec lets us refuse instead.
            _ => DeprovisionVerdict.Busy,
        };
    }

    public static BindVerdict Bind(InstanceRecord? instance, BindingRecord? existing, string instanceId, BindRequest request)
    {
        if (existing is not null)
        {
            var identical = existing.InstanceId == instanceId && existing.ServiceId == request.ServiceId
                && existing.PlanId == request.PlanId && existing.AppGuid == request.AppGuid;
            if (!identical)
                return BindVerdict.Conflict;
            return existing.Ready ? BindVerdict.AlreadyBound : BindVerdict.StillBinding;
        }
        if (instance is null)
            return BindVerdict.NoInstance;
        if (instance.ServiceId != request.ServiceId || instance.PlanId != request.PlanId)
            return BindVerdict.Mismatch;
        return instance.State == InstanceState.Ready ? BindVerdict.Create : BindVerdict.InstanceBusy;
    }

    public static UnbindVerdict Unbind(BindingRecord? existing, string instanceId, string serviceId, string planId)
    {
        if (existing is null || existing.InstanceId != instanceId)
            return UnbindVerdict.Gone;
        return existing.ServiceId == serviceId && existing.PlanId == planId ? UnbindVerdict.Unbind : UnbindVerdict.Mismatch;
    }
}
