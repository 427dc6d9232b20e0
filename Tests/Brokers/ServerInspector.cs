using Npgsql;

namespace Granary.Tests.Brokers;

/// <summary>Looks at the PostgreSQL server the way its administrator would, to check what the broker did.</summary>
public sealed class ServerInspector(string adminConnectionString)
{
    public async Task<bool> DatabaseExistsAsync(string database) =>
        await ScalarAsync("SELECT count(*) FROM pg_database WHERE datname = $1", database) is long n && n > 0;

    public async Task<bool> RoleExistsAsync(string role) =>
        await ScalarAsync("SELECT count(*) FROM pg_roles WHERE rolname = $1", role) is long n && n > 0;

    public async Task<int> ConnectionLimitAsync(string database) =>
        (int)(await ScalarAsync("SELECT datconnlimit FROM pg_database WHERE datname = $1", database))!;

    public async Task<bool> CanLoginAsync(string role) =>
        (bool)(await ScalarAsync("SELECT rolcanlogin FROM pg_roles WHERE rolname = $1", role))!;

    public async Task<string?> DatabaseOfInstanceAsync(string instanceId) =>
        await ScalarAsync("SELECT database_name FROM granary_broker.instances WHERE instance_id = $1", instanceId) as string;

    public async Task<long> RolesLikeAsync(string prefix) =>
        (long)(await ScalarAsync("SELECT count(*) FROM pg_roles WHERE starts_with(rolname, $1)", prefix))!;

    private async Task<object?> ScalarAsync(string sql, string value)
    {
        await using var connection = new NpgsqlConnection(adminConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.AddWithValue(value);
        return await command.ExecuteScalarAsync();
    }
}
