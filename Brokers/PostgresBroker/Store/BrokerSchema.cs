using Npgsql;

namespace Granary.Brokers.Postgres.Store;

/// <summary>
/// The broker's bookkeeping, in the schema <c>granary_broker</c> of the admin database, so that instances,
/// bindings and operations survive restarts. Idempotent: run at every start.
/// </summary>
public static class BrokerSchema
{
    public const string Name = "granary_broker";

    private const string Sql = """
        CREATE SCHEMA IF NOT EXISTS granary_broker;
        -- Binding passwords live here: no role but the admin may look in.
        REVOKE ALL ON SCHEMA granary_broker FROM PUBLIC;
        CREATE TABLE IF NOT EXISTS granary_broker.instances (
            instance_id   text PRIMARY KEY,
            service_id    text NOT NULL,
            plan_id       text NOT NULL,
            database_name text NOT NULL UNIQUE,
            owner_role    text NOT NULL UNIQUE,
            state         text NOT NULL,
            operation_id  text NOT NULL,
            created_at    timestamptz NOT NULL DEFAULT now(),
            updated_at    timestamptz NOT NULL DEFAULT now()
        );
        CREATE TABLE IF NOT EXISTS granary_broker.bindings (
            binding_id  text PRIMARY KEY,
            instance_id text NOT NULL REFERENCES granary_broker.instances (instance_id) ON DELETE CASCADE,
            service_id  text NOT NULL,
            plan_id     text NOT NULL,
            app_guid    text,
            role_name   text NOT NULL UNIQUE,
            password    text NOT NULL,
            ready       boolean NOT NULL DEFAULT false,
            created_at  timestamptz NOT NULL DEFAULT now()
        );
        -- Kept after an instance is gone: last_operation answers 410 for a finished deprovision.
        CREATE TABLE IF NOT EXISTS granary_broker.operations (
            operation_id text PRIMARY KEY,
            instance_id  text NOT NULL,
            kind         text NOT NULL,
            state        text NOT NULL,
            description  text,
            created_at   timestamptz NOT NULL DEFAULT now(),
            updated_at   timestamptz NOT NULL DEFAULT now()
        );
        CREATE INDEX IF NOT EXISTS operations_by_instance ON granary_broker.operations (instance_id, created_at);
        """;

    public static async Task EnsureAsync(NpgsqlDataSource admin, CancellationToken ct)
    {
        await using var connection = await admin.OpenConnectionAsync(ct);
        // Two brokers starting at once on one server would race on CREATE … IF NOT EXISTS.
        await using (var lockCommand = new NpgsqlCommand("SELECT pg_advisory_lock(hashtext('granary_broker.schema'))", connection))
            await lockCommand.ExecuteNonQueryAsync(ct);
        try
        {
            await using var command = new NpgsqlCommand(Sql, connection);
            await command.ExecuteNonQueryAsync(ct);
        }
        finally
        {
            await using var unlock = new NpgsqlCommand("SELECT pg_advisory_unlock(hashtext('granary_broker.schema'))", connection);
            await unlock.ExecuteNonQueryAsync(ct);
        }
    }
}
