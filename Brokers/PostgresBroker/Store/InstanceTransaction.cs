using Npgsql;

namespace Granary.Brokers.Postgres.Store;

/// <summary>One locked transaction over an instance, its bindings and its operations.</summary>
public sealed class InstanceTransaction(NpgsqlConnection connection, NpgsqlTransaction transaction) : IAsyncDisposable
{
    private const string InstanceColumns = "instance_id, service_id, plan_id, database_name, owner_role, state, operation_id";
    private const string BindingColumns = "instance_id, binding_id, service_id, plan_id, app_guid, role_name, password, ready";

    public async Task<InstanceRecord?> InstanceAsync(string instanceId, CancellationToken ct)
    {
        await using var command = Command($"SELECT {InstanceColumns} FROM granary_broker.instances WHERE instance_id = $1", instanceId);
        await using var reader = await command.ExecuteReaderAsync(ct);
        if (!await reader.ReadAsync(ct))
            return null;
        return new InstanceRecord(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3),
            reader.GetString(4), StateText.Parse<InstanceState>(reader.GetString(5)), reader.GetString(6));
    }

    public Task InsertInstanceAsync(InstanceRecord instance, CancellationToken ct) => ExecuteAsync(ct,
        $"INSERT INTO granary_broker.instances ({InstanceColumns}) VALUES ($1, $2, $3, $4, $5, $6, $7)",
        instance.InstanceId, instance.ServiceId, instance.PlanId, instance.DatabaseName, instance.OwnerRole, StateText.Db(instance.State), instance.OperationId);

    public Task SetInstanceStateAsync(string instanceId, InstanceState state, string operationId, CancellationToken ct) => ExecuteAsync(ct,
        "UPDATE granary_broker.instances SET state = $2, operation_id = $3, updated_at = now() WHERE instance_id = $1",
        instanceId, StateText.Db(state), operationId);

    public Task DeleteInstanceAsync(string instanceId, CancellationToken ct) =>
        ExecuteAsync(ct, "DELETE FROM granary_broker.instances WHERE instance_id = $1", instanceId);

    public Task StartOperationAsync(string operationId, string instanceId, OperationKind kind, CancellationToken ct) => ExecuteAsync(ct,
        "INSERT INTO granary_broker.operations (operation_id, instance_id, kind, state) VALUES ($1, $2, $3, 'inprogress')",
        operationId, instanceId, StateText.Db(kind));

    public Task FinishOperationAsync(string operationId, OperationState state, string? description, CancellationToken ct) => ExecuteAsync(ct,
        "UPDATE granary_broker.operations SET state = $2, description = $3, updated_at = now() WHERE operation_id = $1",
        operationId, StateText.Db(state), (object?)description ?? DBNull.Value);

    public async Task<OperationRecord?> OperationAsync(string operationId, CancellationToken ct)
    {
        await using var command = Command("SELECT operation_id, instance_id, kind, state, description FROM granary_broker.operations WHERE operation_id = $1", operationId);
        await using var reader = await command.ExecuteReaderAsync(ct);
        return await reader.ReadAsync(ct) ? BrokerStore.ReadOperation(reader) : null;
    }

    public async Task<BindingRecord?> BindingAsync(string bindingId, CancellationToken ct)
    {
        await using var command = Command($"SELECT {BindingColumns} FROM granary_broker.bindings WHERE binding_id = $1", bindingId);
        await using var reader = await command.ExecuteReaderAsync(ct);
        return await reader.ReadAsync(ct) ? ReadBinding(reader) : null;
    }

    public async Task<IReadOnlyList<BindingRecord>> BindingsOfAsync(string instanceId, CancellationToken ct)
    {
        await using var command = Command($"SELECT {BindingColumns} FROM granary_broker.bindings WHERE instance_id = $1", instanceId);
        await using var reader = await command.ExecuteReaderAsync(ct);
        var bindings = new List<BindingRecord>();
        while (await reader.ReadAsync(ct))
            bindings.Add(ReadBinding(reader));
        return bindings;
    }

    public Task InsertBindingAsync(BindingRecord binding, CancellationToken ct) => ExecuteAsync(ct,
        $"INSERT INTO granary_broker.bindings ({BindingColumns}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        binding.InstanceId, binding.BindingId, binding.ServiceId, binding.PlanId, (object?)binding.AppGuid ?? DBNull.Value,
        binding.RoleName, binding.Password, binding.Ready);

    public Task MarkBindingReadyAsync(string bindingId, CancellationToken ct) =>
        ExecuteAsync(ct, "UPDATE granary_broker.bindings SET ready = true WHERE binding_id = $1", bindingId);

    public Task DeleteBindingAsync(string bindingId, CancellationToken ct) =>
        ExecuteAsync(ct, "DELETE FROM granary_broker.bindings WHERE binding_id = $1", bindingId);

    public Task CommitAsync(CancellationToken ct) => transaction.CommitAsync(ct);

    public async ValueTask DisposeAsync()
    {
        await transaction.DisposeAsync();
        await connection.DisposeAsync();
    }

    private static BindingRecord ReadBinding(NpgsqlDataReader reader) => new(
        reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3),
        reader.IsDBNull(4) ? null : reader.GetString(4), reader.GetString(5), reader.GetString(6), reader.GetBoolean(7));

    private async Task ExecuteAsync(CancellationToken ct, string sql, params object[] values)
    {
        await using var command = Command(sql, values);
        await command.ExecuteNonQueryAsync(ct);
    }

    private NpgsqlCommand Command(string sql, params object[] values)
    {
        var command = new NpgsqlCommand(sql, connection, transaction);
        foreach (var value in values)
            command.Parameters.AddWithValue(value);
        return command;
    }
}
