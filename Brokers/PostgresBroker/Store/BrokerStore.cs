using Npgsql;

namespace Granary.Brokers.Postgres.Store;

/// <summary>
/// Reads and writes the bookkeeping. Decisions about one instance (and its bindings) are taken inside
/// <see cref="LockInstanceAsync"/>, a transaction holding an advisory lock on the instance id, so that
/// concurrent requests, even to several broker processes, see each other's effects.
/// </summary>
public sealed class BrokerStore(NpgsqlDataSource admin)
{
    public async Task<InstanceTransaction> LockInstanceAsync(string instanceId, CancellationToken ct)
    {
        var connection = await admin.OpenConnectionAsync(ct);
        try
        {
            var transaction = await connection.BeginTransactionAsync(ct);
            await using var command = new NpgsqlCommand("SELECT pg_advisory_xact_lock(hashtextextended('granary_broker.instance:' || $1, 0))", connection, transaction);
            command.Parameters.AddWithValue(instanceId);
            await command.ExecuteNonQueryAsync(ct);
            return new InstanceTransaction(connection, transaction);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    public async Task<OperationRecord?> LastOperationAsync(string instanceId, string? operationId, CancellationToken ct)
    {
        await using var connection = await admin.OpenConnectionAsync(ct);
        var sql = operationId is null
            ? "SELECT operation_id, instance_id, kind, state, description FROM granary_broker.operations WHERE instance_id = $1 ORDER BY created_at DESC, operation_id LIMIT 1"
            : "SELECT operation_id, instance_id, kind, state, description FROM granary_broker.operations WHERE instance_id = $1 AND operation_id = $2";
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.AddWithValue(instanceId);
        if (operationId is not null)
            command.Parameters.AddWithValue(operationId);
        await using var reader = await command.ExecuteReaderAsync(ct);
        return await reader.ReadAsync(ct) ? ReadOperation(reader) : null;
    }

    /// <summary>Operations a stopped broker left unfinished; they are resumed at start.</summary>
    public async Task<IReadOnlyList<OperationRecord>> UnfinishedOperationsAsync(CancellationToken ct)
    {
        await using var connection = await admin.OpenConnectionAsync(ct);
        await using var command = new NpgsqlCommand(
            "SELECT operation_id, instance_id, kind, state, description FROM granary_broker.operations WHERE state = 'inprogress' ORDER BY created_at", connection);
        await using var reader = await command.ExecuteReaderAsync(ct);
        var operations = new List<OperationRecord>();
        while (await reader.ReadAsync(ct))
            operations.Add(ReadOperation(reader));
        return operations;
    }

    internal static OperationRecord ReadOperation(NpgsqlDataReader reader) => new(
        reader.GetString(0), reader.GetString(1), StateText.Parse<OperationKind>(reader.GetString(2)),
        StateText.Parse<OperationState>(reader.GetString(3)), reader.IsDBNull(4) ? null : reader.GetString(4));
}
