using Granary.Migrations;
using Granary.Silo.Persistence;
using Granary.Tests.Support.Postgres;
using Npgsql;

namespace Granary.Tests.Persistence;

/// <summary>A fresh database on the shared test server, with Granary's schema applied.</summary>
public static class PersistenceDatabase
{
    public static async Task<string> CreateMigratedAsync(string prefix)
    {
        var server = await TestPostgres.Shared;
        var connectionString = DatabaseSettings.Normalize(await server.CreateDatabaseAsync(prefix));
        await SchemaMigrator.MigrateAsync(connectionString, CancellationToken.None);
        return connectionString;
    }

    public static async Task<T> ScalarAsync<T>(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return (T)(await command.ExecuteScalarAsync())!;
    }

    public static async Task<int> ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteNonQueryAsync();
    }
}
