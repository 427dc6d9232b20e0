using System.Globalization;
using Granary.Cli.Commands;
using Granary.Cli.Postgres;
using Granary.Migrations;
using Npgsql;

namespace Granary.Cli.Micro;

/// <summary>
/// The micro cloud's own PostgreSQL under $GRANARY_HOME/micro/postgres: initdb on first use, started with the
/// cloud on a loopback port, stopped with it. Holds the cluster's membership, grain state, reminders and droplets.
/// </summary>
internal static class MicroDatabase
{
    public const string DatabaseName = "granary";

    /// <summary>Starts the server (creating it the first time), makes sure the database and schema exist; returns a connection string.</summary>
    public static async Task<string> StartAsync(CommandContext ctx, MicroPaths paths, int freePort, string clusterId, CancellationToken ct)
    {
        var bin = PostgresBinaries.Require(ctx.Host.Env);
        // The server keeps its port across ups whenever it can: service bindings handed to apps name it.
        var kept = Server(bin, paths, ReadPort(paths) ?? freePort);
        var server = await kept.IsRunningAsync(ct) || FreePorts.IsFree(kept.Port) ? kept : Server(bin, paths, freePort);
        if (!server.IsInitialized)
            ctx.Console.Line($"Creating the micro cloud's PostgreSQL in {paths.PostgresData} (first start only)…");
        await server.InitializeAsync(ct);
        await server.StartAsync(ct);
        await File.WriteAllTextAsync(paths.PostgresPort, server.Port.ToString(CultureInfo.InvariantCulture), ct);

        await EnsureDatabaseAsync(server, ct);
        var connectionString = server.ConnectionString(DatabaseName);
        ctx.Console.Line($"PostgreSQL is up on 127.0.0.1:{server.Port} (data: {paths.PostgresData}, log: {server.LogFile})");
        await PrepareAsync(ctx, connectionString, clusterId, ct);
        return connectionString;
    }

    /// <summary>Brings a database (the micro cloud's own, or one given with --db) to the current schema.</summary>
    public static async Task PrepareAsync(CommandContext ctx, string connectionString, string clusterId, CancellationToken ct)
    {
        var report = await SchemaMigrator.MigrateAsync(connectionString, ct);
        if (report.Applied.Count > 0)
            ctx.Console.Line($"Applied {report.Applied.Count} schema migration(s) up to {report.Applied[^1].Version:D4}_{report.Applied[^1].Name}");
        await ForgetPreviousSilosAsync(connectionString, clusterId, ct);
    }

    /// <summary>Stops the server if it runs; true if it was running.</summary>
    public static async Task<bool> StopAsync(MicroPaths paths, Func<string, string?> env, CancellationToken ct)
    {
        if (!File.Exists(Path.Combine(paths.PostgresData, "PG_VERSION")) || PostgresBinaries.Find(env) is not { } bin)
            return false;
        var server = Server(bin, paths, ReadPort(paths) ?? 0);
        if (!await server.IsRunningAsync(ct))
            return false;
        await server.StopAsync(ct);
        return true;
    }

    /// <summary>The connection string of the running micro cloud's database, for <c>granary db</c>; null if it is not running.</summary>
    public static async Task<string?> ConnectionStringIfRunningAsync(MicroPaths paths, Func<string, string?> env, CancellationToken ct)
    {
        if (PostgresBinaries.Find(env) is not { } bin || ReadPort(paths) is not { } port)
            return null;
        var server = Server(bin, paths, port);
        return await server.IsRunningAsync(ct) ? server.ConnectionString(DatabaseName) : null;
    }

    private static LocalPostgres Server(string bin, MicroPaths paths, int port) => new(bin, paths.PostgresData, port);

    private static int? ReadPort(MicroPaths paths) =>
        File.Exists(paths.PostgresPort) && int.TryParse(File.ReadAllText(paths.PostgresPort).Trim(), CultureInfo.InvariantCulture, out var port) ? port : null;

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

    /// <summary>
    /// A micro cloud has one silo, and none runs while <c>up</c> does: membership rows left by an earlier silo
    /// (killed, so it never said goodbye) would only make the new one probe a dead address before it settles.
    /// </summary>
    private static async Task ForgetPreviousSilosAsync(string connectionString, string clusterId, CancellationToken ct)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(ct);
        await using var delete = new NpgsqlCommand("DELETE FROM OrleansMembershipTable WHERE DeploymentId = @cluster", connection);
        delete.Parameters.AddWithValue("cluster", clusterId);
        await delete.ExecuteNonQueryAsync(ct);
    }
}
