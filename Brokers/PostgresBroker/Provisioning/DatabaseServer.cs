using Npgsql;

namespace Granary.Brokers.Postgres.Provisioning;

/// <summary>
/// The DDL against the server that holds the databases. Every step is idempotent (checks the catalogs
/// first, or uses IF EXISTS) so an operation cut short by a restart can simply run again.
/// </summary>
public sealed class DatabaseServer(NpgsqlDataSource admin, string adminConnectionString)
{
    /// <summary>A NOLOGIN owner role and a database it owns that no one else may connect to.</summary>
    public async Task CreateDatabaseAsync(string database, string owner, int connectionLimit, CancellationToken ct)
    {
        await using var connection = await admin.OpenConnectionAsync(ct);
        if (!await ExistsAsync(connection, "SELECT 1 FROM pg_roles WHERE rolname = $1", owner, ct))
            // The owner never logs in: its password is random and thrown away, so it cannot be guessed or left empty.
            await ExecuteAsync(connection, $"CREATE ROLE {SqlNames.Identifier(owner)} NOLOGIN PASSWORD {SqlNames.Literal(SqlNames.NewPassword())}", ct);
        if (!await ExistsAsync(connection, "SELECT 1 FROM pg_database WHERE datname = $1", database, ct))
            await ExecuteAsync(connection, $"CREATE DATABASE {SqlNames.Identifier(database)} OWNER {SqlNames.Identifier(owner)} CONNECTION LIMIT {connectionLimit}", ct);
        await ExecuteAsync(connection, $"REVOKE ALL ON DATABASE {SqlNames.Identifier(database)} FROM PUBLIC", ct);
    }

    /// <summary>Ends every session on the database, drops it, then every login of it and the owner.</summary>
    public async Task DropDatabaseAsync(string database, string owner, IEnumerable<string> logins, CancellationToken ct)
    {
        await using var connection = await admin.OpenConnectionAsync(ct);
        var loginList = logins.ToList();
        foreach (var login in loginList)
            await DisableLoginAsync(connection, login, ct);
        await ExecuteAsync(connection, $"DROP DATABASE IF EXISTS {SqlNames.Identifier(database)} WITH (FORCE)", ct);
        foreach (var login in loginList)
            await ExecuteAsync(connection, $"DROP ROLE IF EXISTS {SqlNames.Identifier(login)}", ct);
        await ExecuteAsync(connection, $"DROP ROLE IF EXISTS {SqlNames.Identifier(owner)}", ct);
    }

    /// <summary>
    /// A login that is a member of the owner and, on the instance's database, acts as the owner from its
    /// first statement: tables it creates belong to the owner, so they outlive this login and every
    /// other binding can use them.
    /// </summary>
    public async Task CreateLoginAsync(string database, string owner, string login, string password, CancellationToken ct)
    {
        await using var connection = await admin.OpenConnectionAsync(ct);
        if (!await ExistsAsync(connection, "SELECT 1 FROM pg_roles WHERE rolname = $1", login, ct))
            await ExecuteAsync(connection, $"CREATE ROLE {SqlNames.Identifier(login)} LOGIN PASSWORD {SqlNames.Literal(password)} IN ROLE {SqlNames.Identifier(owner)}", ct);
        await ExecuteAsync(connection, $"ALTER ROLE {SqlNames.Identifier(login)} IN DATABASE {SqlNames.Identifier(database)} SET role = {SqlNames.Literal(owner)}", ct);
    }

    /// <summary>Revokes the login, ends its sessions, hands anything it owns to the owner, and drops it.</summary>
    public async Task DropLoginAsync(string database, string owner, string login, CancellationToken ct)
    {
        await using (var connection = await admin.OpenConnectionAsync(ct))
        {
            if (!await ExistsAsync(connection, "SELECT 1 FROM pg_roles WHERE rolname = $1", login, ct))
                return;
            await DisableLoginAsync(connection, login, ct);
        }
        // Objects made after a RESET ROLE belong to the login; REASSIGN OWNED works per database.
        await using (var inInstance = await OpenDatabaseAsync(database, ct))
        {
            await ExecuteAsync(inInstance, $"REASSIGN OWNED BY {SqlNames.Identifier(login)} TO {SqlNames.Identifier(owner)}", ct);
            await ExecuteAsync(inInstance, $"DROP OWNED BY {SqlNames.Identifier(login)}", ct);
        }
        await using (var connection = await admin.OpenConnectionAsync(ct))
            await ExecuteAsync(connection, $"DROP ROLE IF EXISTS {SqlNames.Identifier(login)}", ct);
    }

    /// <summary>NOLOGIN first, so no new session slips in between ending the old ones and the drop.</summary>
    private static async Task DisableLoginAsync(NpgsqlConnection connection, string login, CancellationToken ct)
    {
        if (!await ExistsAsync(connection, "SELECT 1 FROM pg_roles WHERE rolname = $1", login, ct))
            return;
        await ExecuteAsync(connection, $"ALTER ROLE {SqlNames.Identifier(login)} NOLOGIN", ct);
        await using var terminate = new NpgsqlCommand("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = $1", connection);
        terminate.Parameters.AddWithValue(login);
        await terminate.ExecuteNonQueryAsync(ct);
    }

    private async Task<NpgsqlConnection> OpenDatabaseAsync(string database, CancellationToken ct)
    {
        // Short-lived and unpooled: a pool per instance database would keep sessions that block DROP DATABASE.
        var builder = new NpgsqlConnectionStringBuilder(adminConnectionString) { Database = database, Pooling = false };
        var connection = new NpgsqlConnection(builder.ConnectionString);
        await connection.OpenAsync(ct);
        return connection;
    }

    private static async Task<bool> ExistsAsync(NpgsqlConnection connection, string sql, string value, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.AddWithValue(value);
        return await command.ExecuteScalarAsync(ct) is not null;
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(ct);
    }
}
