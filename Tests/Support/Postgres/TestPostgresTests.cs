using Npgsql;

namespace Granary.Tests.Support.Postgres;

/// <summary>The test servers themselves: a real PostgreSQL that survives a stop and start with its data.</summary>
public sealed class TestPostgresTests
{
    [Fact]
    public async Task A_database_keeps_its_rows_across_a_server_restart()
    {
        await using var server = await TestPostgres.StartAsync("restart");
        var connectionString = await server.CreateDatabaseAsync("restart");
        await ExecuteAsync(connectionString, "CREATE TABLE t (v text); INSERT INTO t VALUES ('kept')");

        await server.StopAsync();
        await Assert.ThrowsAnyAsync<NpgsqlException>(() => ExecuteAsync(connectionString, "SELECT 1"));
        await server.RestartAsync();

        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT v FROM t", connection);
        Assert.Equal("kept", await command.ExecuteScalarAsync());
    }

    [Fact]
    public async Task The_superuser_needs_its_password()
    {
        var server = await TestPostgres.Shared;
        var wrong = new NpgsqlConnectionStringBuilder(server.ConnectionString("postgres")) { Password = "wrong" };
        await using var connection = new NpgsqlConnection(wrong.ConnectionString);
        var error = await Assert.ThrowsAsync<PostgresException>(() => connection.OpenAsync());
        Assert.Equal("28P01", error.SqlState);
    }

    private static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
