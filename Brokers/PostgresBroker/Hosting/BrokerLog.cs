namespace Granary.Brokers.Postgres.Hosting;

/// <summary>The broker's log lines: ids and names of databases and roles, never passwords.</summary>
public static partial class BrokerLog
{
    [LoggerMessage(Level = LogLevel.Information, Message = "Provisioned instance {InstanceId}: database {Database}, plan {Plan} (operation {OperationId})")]
    public static partial void Provisioned(this ILogger logger, string instanceId, string database, string plan, string operationId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Deprovisioned instance {InstanceId}: dropped database {Database} and its roles (operation {OperationId})")]
    public static partial void Deprovisioned(this ILogger logger, string instanceId, string database, string operationId);

    [LoggerMessage(Level = LogLevel.Error, Message = "{Kind} of instance {InstanceId} failed (operation {OperationId})")]
    public static partial void OperationFailed(this ILogger logger, Exception error, string kind, string instanceId, string operationId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Bound {BindingId} to instance {InstanceId}: login {Role}")]
    public static partial void Bound(this ILogger logger, string bindingId, string instanceId, string role);

    [LoggerMessage(Level = LogLevel.Error, Message = "Binding {BindingId} to instance {InstanceId} failed")]
    public static partial void BindFailed(this ILogger logger, Exception error, string bindingId, string instanceId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Unbound {BindingId} from instance {InstanceId}: dropped login {Role}")]
    public static partial void Unbound(this ILogger logger, string bindingId, string instanceId, string role);

    [LoggerMessage(Level = LogLevel.Information, Message = "Resuming {Count} operation(s) left unfinished by an earlier run")]
    public static partial void Resuming(this ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Cleaning up after the failed provision of {InstanceId} failed too; deprovision will retry")]
    public static partial void CleanupFailed(this ILogger logger, Exception error, string instanceId);

    [LoggerMessage(Level = LogLevel.Information, Message = "PostgreSQL broker listening on {Url}, async policy {Policy}")]
    public static partial void Listening(this ILogger logger, string url, string policy);
}
