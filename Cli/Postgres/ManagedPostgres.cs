using System.Globalization;
using Granary.Cli.Output;
using Granary.Migrations;
using Npgsql;

namespace Granary.Cli.Postgres;

/// <summary>
/// A PostgreSQL server Granary runs for itself in one folder (<c>data/</c>, <c>port</c>, <c>postgres.log</c>,
/// <c>postgres-password</c>): the micro cloud's under <c>$GRANARY_HOME/micro/postgres</c>, a cluster core's under
/// <c>$GRANARY_HOME/node/postgres</c>. initdb on first use, then started and stopped with its owner.
/// </summary>
internal sealed record ManagedPostgres(string Folder, string ListenAddress = "127.0.0.1")
{
    public const string DatabaseName = "granary";

    public string Data => Path.Combine(Folder, "data");

    public string PortFile => Path.Combine(Folder, "port");

    public string LogFile => Path.Combine(Folder, "postgres.log");

    /// <summary>Starts the server (creating it the first time) and the database; returns a connection string to it.</summary>
    /// <param name="port">Used unless the port of an earlier start is still running or free.</param>
    public async Task<string> StartAsync(CliConsole console, Func<string, string?> env, int port, CancellationToken ct)
    {
        var bin = PostgresBinaries.Require(env);
        // The server keeps its port across starts whenever it can: service bindings handed to apps name it.
        var kept = Server(bin, ReadPort() ?? port);
        var server = await kept.IsRunningAsync(ct) || Granary.Cli.Micro.FreePorts.IsFree(kept.Port) ? kept : Server(bin, port);
        if (!server.IsInitialized)
            console.Line($"Creating a PostgreSQL server in {Data} (first start only)…");
        await server.InitializeAsync(ct);
        await server.StartAsync(ct);
        await File.WriteAllTextAsync(PortFile, server.Port.ToString(CultureInfo.InvariantCulture), ct);
        await EnsureDatabaseAsync(server, ct);
        console.Line($"PostgreSQL is up on {ListenAddress}:{server.Port} (data: {Data}, log: {server.LogFile})");
        return server.ConnectionString(DatabaseName);
    }

    /// <summary>Stops the server if it runs; true if it was running.</summary>
    public async Task<bool> StopAsync(Func<string, string?> env, CancellationToken ct)
    {
        if (!File.Exists(Path.Combine(Data, "PG_VERSION")) || PostgresBinaries.Find(env) is not { } bin)
            return false;
        var server = Server(bin, ReadPort() ?? 0);
        if (!await server.IsRunningAsync(ct))
            return false;
        await server.StopAsync(ct);
        return true;
    }

    /// <summary>The connection string while the server runs; null otherwise.</summary>
    public async Task<string?> ConnectionStringIfRunningAsync(Func<string, string?> env, CancellationToken ct)
    {
        if (PostgresBinaries.Find(env) is not { } bin || ReadPort() is not { } port)
            return null;
        var server = Server(bin, port);
        return await server.IsRunningAsync(ct) ? server.ConnectionString(DatabaseName) : null;
    }

    public async Task<bool> IsRunningAsync(Func<string, string?> env, CancellationToken ct) =>
        PostgresBinaries.Find(env) is { } bin && await Server(bin, ReadPort() ?? 0).IsRunningAsync(ct);

    /// <summary>Brings a database to Granary's current schema; prints what it applied.</summary>
    public static async Task MigrateAsync(CliConsole console, string connectionString, CancellationToken ct)
    {
        var report = await SchemaMigrator.MigrateAsync(connectionString, ct);
        if (report.Applied.Count > 0)
            console.Line($"Applied {report.Applied.Count} schema migration(s) up to {report.Applied[^1].Version:D4}_{report.Applied[^1].Name}");
    }

    public int? ReadPort() =>
        File.Exists(PortFile) && int.TryParse(File.ReadAllText(PortFile).Trim(), CultureInfo.InvariantCulture, out var port) ? port : null;

    private LocalPostgres Server(string bin, int port) => new(bin, Data, port, ListenAddress);

    private static async Task EnsureDatabaseAsync(LocalPostgres server, CancellationToken ct)
    {
        await using var connection = new NpgsqlConnection(server.ConnectionString("postgres"));
        await connection.OpenAsync(ct);
        await using var exists = new NpgsqlCommand("SELECT 1 FROM pg_database WHERE datname = @name", connection);
        exists.Parameters.AddWithValue("name", DatabaseName);
        if (await exists.ExecuteScalarAsync(ct) is null)
        {
            await using var create = new NpgsqlCommand($"CREATE DATABASE \"{DatabaseName}\"", connection);
            await create.ExecuteNonQueryAsync(ct);
        }
    }
}
