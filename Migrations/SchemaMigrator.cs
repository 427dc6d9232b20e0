using Npgsql;

namespace Granary.Migrations;

/// <summary>What one run of the migrator did.</summary>
public sealed record MigrationReport(IReadOnlyList<MigrationScript> Applied, int AlreadyApplied);

/// <summary>
/// Applies deploy/sql to a database: each pending script in its own transaction together with its row in
/// <c>granary_schema_migrations</c>, so a script is applied completely or not at all. A session advisory lock
/// makes concurrent runs (two nodes starting at once) take turns; the second finds nothing left to do.
/// </summary>
public static class SchemaMigrator
{
    /// <summary>Arbitrary but fixed: every Granary process that migrates takes this same lock.</summary>
    public const long AdvisoryLockKey = 0x4752_414E_4152_5901; // "GRANARY" + 1

    public static Task<MigrationReport> MigrateAsync(string connectionString, CancellationToken ct) =>
        MigrateAsync(connectionString, MigrationScript.Embedded, ct);

    public static async Task<MigrationReport> MigrateAsync(string connectionString, IReadOnlyList<MigrationScript> scripts, CancellationToken ct)
    {
        // Pooling off: this connection holds a session lock, and must not linger in a pool once it is done.
        var builder = new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false };
        await using var connection = new NpgsqlConnection(builder.ConnectionString);
        await connection.OpenAsync(ct);
        await ExecuteAsync(connection, null, $"SELECT pg_advisory_lock({AdvisoryLockKey})", ct);
        try
        {
            await ExecuteAsync(connection, null, """
                CREATE TABLE IF NOT EXISTS granary_schema_migrations (
                    version    integer     PRIMARY KEY,
                    name       text        NOT NULL,
                    checksum   char(64)    NOT NULL,
                    applied_at timestamptz NOT NULL DEFAULT now())
                """, ct);
            var applied = await ReadAppliedAsync(connection, ct);
            var pending = MigrationPlan.Pending(scripts, applied);
            foreach (var script in pending)
                await ApplyAsync(connection, script, ct);
            return new MigrationReport(pending, scripts.Count - pending.Count);
        }
        finally
        {
            // Closing the connection would release it too; unlocking says so and keeps the order obvious.
            if (connection.State == System.Data.ConnectionState.Open)
                await ExecuteAsync(connection, null, $"SELECT pg_advisory_unlock({AdvisoryLockKey})", CancellationToken.None);
        }
    }

    private static async Task<Dictionary<int, string>> ReadAppliedAsync(NpgsqlConnection connection, CancellationToken ct)
    {
        var applied = new Dictionary<int, string>();
        await using var command = new NpgsqlCommand("SELECT version, checksum FROM granary_schema_migrations", connection);
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
            applied[reader.GetInt32(0)] = reader.GetString(1);
        return applied;
    }

    private static async Task ApplyAsync(NpgsqlConnection connection, MigrationScript script, CancellationToken ct)
    {
        await using var transaction = await connection.BeginTransactionAsync(ct);
        try
        {
            await ExecuteAsync(connection, transaction, script.Sql, ct);
        }
        catch (PostgresException e)
        {
            throw new MigrationFailedException(
                $"migration {script.Version:D4}_{script.Name}.sql failed: {e.MessageText}{(e.Position > 0 ? $" (at character {e.Position})" : "")}; nothing of it was applied", e);
        }

        await using (var record = new NpgsqlCommand(
            "INSERT INTO granary_schema_migrations (version, name, checksum) VALUES (@version, @name, @checksum)", connection, transaction))
        {
            record.Parameters.AddWithValue("version", script.Version);
            record.Parameters.AddWithValue("name", script.Name);
            record.Parameters.AddWithValue("checksum", script.Checksum);
            await record.ExecuteNonQueryAsync(ct);
        }

        await transaction.CommitAsync(ct);
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, string sql, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction) { CommandTimeout = 300 };
        await command.ExecuteNonQueryAsync(ct);
    }
}

/// <summary>A migration could not be applied; the message names the script and what PostgreSQL said.</summary>
public sealed class MigrationFailedException(string message, Exception? inner = null) : Exception(message, inner);
