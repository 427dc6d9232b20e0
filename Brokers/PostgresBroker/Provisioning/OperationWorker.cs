using System.Diagnostics;
using Granary.Brokers.Postgres.Catalog;
using Granary.Brokers.Postgres.Hosting;
using Granary.Brokers.Postgres.Store;
using Npgsql;

namespace Granary.Brokers.Postgres.Provisioning;

/// <summary>
/// Carries out a recorded provision or deprovision: the database work, then the bookkeeping of its
/// outcome. Used inline for synchronous requests and by <see cref="OperationRunner"/> for the rest.
/// </summary>
public sealed class OperationWorker(BrokerStore store, DatabaseServer server, ILogger<OperationWorker> logger)
{
    public async Task<OperationRecord> RunAsync(string instanceId, string operationId, CancellationToken ct)
    {
        InstanceRecord instance;
        OperationRecord operation;
        IReadOnlyList<BindingRecord> bindings;
        await using (var tx = await store.LockInstanceAsync(instanceId, ct))
        {
            operation = await tx.OperationAsync(operationId, ct) ?? throw new InvalidOperationException($"no operation {operationId}");
            if (operation.State != OperationState.InProgress)
                return operation;
            instance = await tx.InstanceAsync(instanceId, ct) ?? throw new InvalidOperationException($"no instance {instanceId}");
            bindings = await tx.BindingsOfAsync(instanceId, ct);
        }
        var kind = StateText.Db(operation.Kind);
        using var activity = BrokerTelemetry.Source.StartActivity(kind);
        activity?.SetTag("granary.service_instance", instanceId);
        activity?.SetTag("granary.operation", operationId);
        var started = Stopwatch.GetTimestamp();
        try
        {
            if (operation.Kind == OperationKind.Provision)
                await ProvisionAsync(instance, ct);
            else
                await server.DropDatabaseAsync(instance.DatabaseName, instance.OwnerRole, bindings.Select(b => b.RoleName), ct);
            var finished = await FinishAsync(instance, operation, OperationState.Succeeded, null, ct);
            BrokerTelemetry.Record(kind, "succeeded", Stopwatch.GetElapsedTime(started));
            if (operation.Kind == OperationKind.Provision)
                logger.Provisioned(instanceId, instance.DatabaseName, PostgresCatalog.FindPlan(instance.PlanId)?.Name ?? instance.PlanId, operationId);
            else
                logger.Deprovisioned(instanceId, instance.DatabaseName, operationId);
            return finished;
        }
        catch (Exception error) when (error is NpgsqlException or InvalidOperationException or TimeoutException)
        {
            logger.OperationFailed(error, kind, instanceId, operationId);
            activity?.SetStatus(ActivityStatusCode.Error, error.GetType().Name);
            BrokerTelemetry.Record(kind, "failed", Stopwatch.GetElapsedTime(started));
            if (operation.Kind == OperationKind.Provision)
                await CleanUpFailedProvisionAsync(instance, ct);
            return await FinishAsync(instance, operation, OperationState.Failed, Describe(error), ct);
        }
    }

    private Task ProvisionAsync(InstanceRecord instance, CancellationToken ct)
    {
        var plan = PostgresCatalog.FindPlan(instance.PlanId) ?? throw new InvalidOperationException($"plan {instance.PlanId} is no longer in the catalog");
        return server.CreateDatabaseAsync(instance.DatabaseName, instance.OwnerRole, plan.ConnectionLimit, ct);
    }

    private async Task<OperationRecord> FinishAsync(InstanceRecord instance, OperationRecord operation, OperationState state, string? description, CancellationToken ct)
    {
        await using var tx = await store.LockInstanceAsync(instance.InstanceId, ct);
        var text = description ?? (operation.Kind == OperationKind.Provision ? "The database is ready." : "The database and its logins are gone.");
        await tx.FinishOperationAsync(operation.OperationId, state, text, ct);
        if (state == OperationState.Succeeded && operation.Kind == OperationKind.Deprovision)
            await tx.DeleteInstanceAsync(instance.InstanceId, ct);
        else
            await tx.SetInstanceStateAsync(instance.InstanceId, state == OperationState.Succeeded ? InstanceState.Ready : InstanceState.Failed, operation.OperationId, ct);
        await tx.CommitAsync(ct);
        return operation with { State = state, Description = text };
    }

    /// <summary>The broker MAY remove what it believes orphaned; a deprovision (orphan mitigation) finishes the job.</summary>
    private async Task CleanUpFailedProvisionAsync(InstanceRecord instance, CancellationToken ct)
    {
        try
        {
            await server.DropDatabaseAsync(instance.DatabaseName, instance.OwnerRole, [], ct);
        }
        catch (NpgsqlException error)
        {
            logger.CleanupFailed(error, instance.InstanceId);
        }
    }

    /// <summary>A user-facing reason: PostgreSQL's own message text holds names, never passwords.</summary>
    private static string Describe(Exception error) => error switch
    {
        PostgresException pg => $"PostgreSQL refused: {pg.MessageText} ({pg.SqlState})",
        NpgsqlException => "The database server could not be reached; try again.",
        _ => error.Message,
    };
}
