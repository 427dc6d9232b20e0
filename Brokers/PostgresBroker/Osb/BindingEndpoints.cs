using System.Diagnostics;
using Granary.Brokers.Postgres.Hosting;
using Granary.Brokers.Postgres.Provisioning;
using Granary.Brokers.Postgres.Store;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Granary.Brokers.Postgres.Osb;

/// <summary>Bind (a login of its own per binding) and unbind (the login and its sessions go). Always synchronous.</summary>
public static class BindingEndpoints
{
    public static RouteGroupBuilder MapBindingEndpoints(this RouteGroupBuilder v2)
    {
        v2.MapPut("/service_instances/{instanceId}/service_bindings/{bindingId}", BindAsync);
        v2.MapDelete("/service_instances/{instanceId}/service_bindings/{bindingId}", UnbindAsync);
        return v2;
    }

    private static async Task<IResult> BindAsync(
        string instanceId, string bindingId, HttpRequest http, BrokerStore store, DatabaseServer server,
        IOptions<BrokerOptions> options, ILogger<BindingRecord> logger, CancellationToken ct)
    {
        var parsed = OsbRequests.ParseBind(await InstanceEndpoints.ReadBodyAsync(http, ct));
        if (parsed.Value is not { } request)
            return OsbErrors.BadRequest(parsed.Problem!);

        InstanceRecord instance;
        BindingRecord binding;
        // Recorded before the login exists, so a crash in between leaves a row that unbind cleans up.
        await using (var tx = await store.LockInstanceAsync(instanceId, ct))
        {
            var found = await tx.InstanceAsync(instanceId, ct);
            var existing = await tx.BindingAsync(bindingId, ct);
            switch (BrokerDecisions.Bind(found, existing, instanceId, request))
            {
                case BindVerdict.Conflict:
                    return OsbErrors.Error(StatusCodes.Status409Conflict, $"Binding {bindingId} already exists with other attributes.");
                case BindVerdict.AlreadyBound:
                    return Bound(StatusCodes.Status200OK, found!, existing!, options.Value);
                case BindVerdict.StillBinding:
                    return OsbErrors.Busy($"Binding {bindingId} is being created; try again.");
                case BindVerdict.NoInstance:
                    return OsbErrors.Error(StatusCodes.Status404NotFound, $"Service instance {instanceId} does not exist; provision it first.");
                case BindVerdict.Mismatch:
                    return OsbErrors.BadRequest($"Instance {instanceId} is not of service_id {request.ServiceId} and plan_id {request.PlanId}.");
                case BindVerdict.InstanceBusy:
                    return OsbErrors.Busy($"Instance {instanceId} is not ready (an operation is in progress or failed); bind once it is.");
            }
            instance = found!;
            binding = new BindingRecord(instanceId, bindingId, request.ServiceId, request.PlanId, request.AppGuid,
                SqlNames.NewBindingRole(instance.DatabaseName), SqlNames.NewPassword(), Ready: false);
            await tx.InsertBindingAsync(binding, ct);
            await tx.CommitAsync(ct);
        }

        using var activity = BrokerTelemetry.Source.StartActivity("bind");
        activity?.SetTag("granary.service_instance", instanceId);
        activity?.SetTag("granary.service_binding", bindingId);
        var started = Stopwatch.GetTimestamp();
        try
        {
            await server.CreateLoginAsync(instance.DatabaseName, instance.OwnerRole, binding.RoleName, binding.Password, CancellationToken.None);
            await using var tx = await store.LockInstanceAsync(instanceId, CancellationToken.None);
            await tx.MarkBindingReadyAsync(bindingId, CancellationToken.None);
            await tx.CommitAsync(CancellationToken.None);
        }
        catch (NpgsqlException error)
        {
            logger.BindFailed(error, bindingId, instanceId);
            BrokerTelemetry.Record("bind", "failed", Stopwatch.GetElapsedTime(started));
            await ForgetAsync(store, server, instance, binding);
            return OsbErrors.Error(StatusCodes.Status500InternalServerError,
                error is PostgresException pg ? $"PostgreSQL refused the login: {pg.MessageText}" : "The database server could not be reached; try again.");
        }
        BrokerTelemetry.Record("bind", "succeeded", Stopwatch.GetElapsedTime(started));
        logger.Bound(bindingId, instanceId, binding.RoleName);
        return Bound(StatusCodes.Status201Created, instance, binding, options.Value);
    }

    private static async Task<IResult> UnbindAsync(
        string instanceId, string bindingId, HttpRequest http, BrokerStore store, DatabaseServer server,
        ILogger<BindingRecord> logger, CancellationToken ct)
    {
        string? serviceId = http.Query["service_id"], planId = http.Query["plan_id"];
        if (OsbRequests.DeleteQueryProblem(serviceId, planId) is { } problem)
            return OsbErrors.BadRequest(problem);
        await using var tx = await store.LockInstanceAsync(instanceId, ct);
        var binding = await tx.BindingAsync(bindingId, ct);
        switch (BrokerDecisions.Unbind(binding, instanceId, serviceId!, planId!))
        {
            case UnbindVerdict.Gone:
                return OsbErrors.Empty(StatusCodes.Status410Gone);
            case UnbindVerdict.Mismatch:
                return OsbErrors.BadRequest($"Binding {bindingId} is not of service_id {serviceId} and plan_id {planId}.");
        }
        var instance = (await tx.InstanceAsync(instanceId, ct))!;
        if (instance.State == InstanceState.Deprovisioning)
            return OsbErrors.Busy($"Instance {instanceId} is being deprovisioned; its logins go with it.");
        using var activity = BrokerTelemetry.Source.StartActivity("unbind");
        activity?.SetTag("granary.service_instance", instanceId);
        activity?.SetTag("granary.service_binding", bindingId);
        var started = Stopwatch.GetTimestamp();
        try
        {
            await server.DropLoginAsync(instance.DatabaseName, instance.OwnerRole, binding!.RoleName, CancellationToken.None);
        }
        catch (NpgsqlException error)
        {
            BrokerTelemetry.Record("unbind", "failed", Stopwatch.GetElapsedTime(started));
            return OsbErrors.Error(StatusCodes.Status500InternalServerError,
                error is PostgresException pg ? $"PostgreSQL refused to drop the login: {pg.MessageText}" : "The database server could not be reached; try again.");
        }
        await tx.DeleteBindingAsync(bindingId, CancellationToken.None);
        await tx.CommitAsync(CancellationToken.None);
        BrokerTelemetry.Record("unbind", "succeeded", Stopwatch.GetElapsedTime(started));
        logger.Unbound(bindingId, instanceId, binding.RoleName);
        return OsbErrors.Empty(StatusCodes.Status200OK);
    }

    private static IResult Bound(int status, InstanceRecord instance, BindingRecord binding, BrokerOptions options) =>
        Results.Json(new Dictionary<string, object>
        {
            ["credentials"] = Credentials.For(options.CredentialsHost, options.CredentialsPort, instance.DatabaseName, binding.RoleName, binding.Password),
            ["endpoints"] = new[] { new Dictionary<string, object> { ["host"] = options.CredentialsHost, ["ports"] = new[] { options.CredentialsPort.ToString() }, ["protocol"] = "tcp" } },
        }, statusCode: status);

    private static async Task ForgetAsync(BrokerStore store, DatabaseServer server, InstanceRecord instance, BindingRecord binding)
    {
        try { await server.DropLoginAsync(instance.DatabaseName, instance.OwnerRole, binding.RoleName, CancellationToken.None); }
        catch (NpgsqlException) { /* the row stays; an unbind retries the drop */ return; }
        await using var tx = await store.LockInstanceAsync(instance.InstanceId, CancellationToken.None);
        await tx.DeleteBindingAsync(binding.BindingId, CancellationToken.None);
        await tx.CommitAsync(CancellationToken.None);
    }
}
