using Granary.Brokers.Postgres.Catalog;
using Granary.Brokers.Postgres.Hosting;
using Granary.Brokers.Postgres.Provisioning;
using Granary.Brokers.Postgres.Store;
using Microsoft.Extensions.Options;

namespace Granary.Brokers.Postgres.Osb;

/// <summary>Provision, deprovision and last_operation for service instances.</summary>
public static class InstanceEndpoints
{
    public static RouteGroupBuilder MapInstanceEndpoints(this RouteGroupBuilder v2)
    {
        v2.MapPut("/service_instances/{instanceId}", ProvisionAsync);
        v2.MapDelete("/service_instances/{instanceId}", DeprovisionAsync);
        v2.MapGet("/service_instances/{instanceId}/last_operation", LastOperationAsync);
        return v2;
    }

    private static async Task<IResult> ProvisionAsync(
        string instanceId, HttpRequest http, BrokerStore store, OperationWorker worker, OperationRunner runner,
        IOptions<BrokerOptions> options, CancellationToken ct)
    {
        var accepts = OsbRequests.AcceptsIncomplete(http.Query["accepts_incomplete"]);
        var mode = BrokerDecisions.Choose(options.Value.Async, accepts);
        if (mode == ExecutionMode.RejectAsyncRequired)
            return OsbErrors.NeedsAsync("provision");
        var parsed = OsbRequests.ParseProvision(await ReadBodyAsync(http, ct));
        if (parsed.Value is not { } request)
            return OsbErrors.BadRequest(parsed.Problem!);
        if (request.MaintenanceVersion is { } version && version != PostgresCatalog.MaintenanceVersion)
            return OsbErrors.Error(StatusCodes.Status422UnprocessableEntity,
                $"maintenance_info.version {version} is not the plan's current {PostgresCatalog.MaintenanceVersion}; fetch the catalog again.",
                OsbErrors.MaintenanceInfoConflict);

        string operationId;
        await using (var tx = await store.LockInstanceAsync(instanceId, ct))
        {
            var existing = await tx.InstanceAsync(instanceId, ct);
            switch (BrokerDecisions.Provision(existing, request, accepts))
            {
                case ProvisionVerdict.Conflict:
                    return OsbErrors.Error(StatusCodes.Status409Conflict, $"Instance {instanceId} already exists with another service or plan.");
                case ProvisionVerdict.AlreadyProvisioned:
                    return OsbErrors.Empty(StatusCodes.Status200OK);
                case ProvisionVerdict.StillProvisioning:
                    return Accepted(existing!.OperationId);
                case ProvisionVerdict.Busy:
                    return OsbErrors.Busy($"Another operation on instance {instanceId} is in progress; wait for it to finish.");
            }
            operationId = SqlNames.NewOperationId();
            if (existing is null)
            {
                var database = SqlNames.NewDatabase();
                await tx.InsertInstanceAsync(new InstanceRecord(instanceId, request.ServiceId, request.Plan.Id, database,
                    SqlNames.OwnerOf(database), InstanceState.Provisioning, operationId), ct);
            }
            else
                await tx.SetInstanceStateAsync(instanceId, InstanceState.Provisioning, operationId, ct);
            await tx.StartOperationAsync(operationId, instanceId, OperationKind.Provision, ct);
            await tx.CommitAsync(ct);
        }

        if (mode == ExecutionMode.Asynchronous)
        {
            runner.Enqueue(instanceId, operationId);
            return Accepted(operationId);
        }
        // Not the request's token: a platform that gives up waiting must not leave the work half done.
        var outcome = await worker.RunAsync(instanceId, operationId, CancellationToken.None);
        if (outcome.State == OperationState.Succeeded)
            return OsbErrors.Empty(StatusCodes.Status201Created);
        // A failed synchronous provision leaves nothing behind (5xx: resources SHOULD be unchanged).
        await ForgetAsync(store, instanceId, ct);
        return OsbErrors.Error(StatusCodes.Status500InternalServerError, outcome.Description ?? "Provisioning failed.");
    }

    private static async Task<IResult> DeprovisionAsync(
        string instanceId, HttpRequest http, BrokerStore store, OperationWorker worker, OperationRunner runner,
        IOptions<BrokerOptions> options, CancellationToken ct)
    {
        var accepts = OsbRequests.AcceptsIncomplete(http.Query["accepts_incomplete"]);
        var mode = BrokerDecisions.Choose(options.Value.Async, accepts);
        if (mode == ExecutionMode.RejectAsyncRequired)
            return OsbErrors.NeedsAsync("deprovision");
        string? serviceId = http.Query["service_id"], planId = http.Query["plan_id"];
        if (OsbRequests.DeleteQueryProblem(serviceId, planId) is { } problem)
            return OsbErrors.BadRequest(problem);

        string operationId;
        await using (var tx = await store.LockInstanceAsync(instanceId, ct))
        {
            var existing = await tx.InstanceAsync(instanceId, ct);
            switch (BrokerDecisions.Deprovision(existing, serviceId!, planId!, accepts))
            {
                case DeprovisionVerdict.Gone:
                    return OsbErrors.Empty(StatusCodes.Status410Gone);
                case DeprovisionVerdict.Mismatch:
                    return OsbErrors.BadRequest($"Instance {instanceId} is not of service_id {serviceId} and plan_id {planId}.");
                case DeprovisionVerdict.StillDeprovisioning:
                    return Accepted(existing!.OperationId);
                case DeprovisionVerdict.Busy:
                    return OsbErrors.Busy($"Another operation on instance {instanceId} is in progress; wait for it to finish.");
            }
            operationId = SqlNames.NewOperationId();
            await tx.SetInstanceStateAsync(instanceId, InstanceState.Deprovisioning, operationId, ct);
            await tx.StartOperationAsync(operationId, instanceId, OperationKind.Deprovision, ct);
            await tx.CommitAsync(ct);
        }

        if (mode == ExecutionMode.Asynchronous)
        {
            runner.Enqueue(instanceId, operationId);
            return Accepted(operationId);
        }
        // Not the request's token: a platform that gives up waiting must not leave the work half done.
        var outcome = await worker.RunAsync(instanceId, operationId, CancellationToken.None);
        return outcome.State == OperationState.Succeeded
            ? OsbErrors.Empty(StatusCodes.Status200OK)
            : OsbErrors.Error(StatusCodes.Status500InternalServerError, outcome.Description ?? "Deprovisioning failed.");
    }

    private static async Task<IResult> LastOperationAsync(string instanceId, HttpRequest http, HttpResponse response, BrokerStore store, CancellationToken ct)
    {
        var operationId = http.Query["operation"].ToString();
        if (http.Query.ContainsKey("operation") && operationId.Length == 0)
            return OsbErrors.BadRequest("operation, when sent, must be the non-empty id the broker returned.");
        var operation = await store.LastOperationAsync(instanceId, operationId.Length == 0 ? null : operationId, ct);
        if (operation is null)
            return operationId.Length == 0
                ? OsbErrors.Error(StatusCodes.Status404NotFound, $"No operation is known for instance {instanceId}.")
                : OsbErrors.BadRequest($"Operation {operationId} is not an operation of instance {instanceId}.");
        // A finished asynchronous deprovision: the instance is gone, which the platform counts as success.
        if (operation is { Kind: OperationKind.Deprovision, State: OperationState.Succeeded })
            return OsbErrors.Empty(StatusCodes.Status410Gone);
        if (operation.State == OperationState.InProgress)
            response.Headers.RetryAfter = "1";
        var body = new Dictionary<string, string> { ["state"] = StateText.Wire(operation.State) };
        if (operation.Description is { } description)
            body["description"] = description;
        return Results.Json(body);
    }

    private static IResult Accepted(string operationId) =>
        Results.Json(new Dictionary<string, string> { ["operation"] = operationId }, statusCode: StatusCodes.Status202Accepted);

    private static async Task ForgetAsync(BrokerStore store, string instanceId, CancellationToken ct)
    {
        await using var tx = await store.LockInstanceAsync(instanceId, ct);
        await tx.DeleteInstanceAsync(instanceId, ct);
        await tx.CommitAsync(ct);
    }

    internal static async Task<string> ReadBodyAsync(HttpRequest http, CancellationToken ct)
    {
        using var reader = new StreamReader(http.Body);
        return await reader.ReadToEndAsync(ct);
    }
}
