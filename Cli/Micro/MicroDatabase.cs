using Granary.Cli.Commands;
using Granary.Cli.Postgres;
using Npgsql;

namespace Granary.Cli.Micro;

/// <summary>
/// The micro cloud's own PostgreSQL under $GRANARY_HOME/micro/postgres (a <see cref="ManagedPostgres"/> on loopback),
/// started with the cloud and stopped with it. Holds the cluster's membership, grain state, reminders and droplets.
/// </summary>
internal static class MicroDatabase
{
    public const string DatabaseName = ManagedPostgres.DatabaseName;

    private static ManagedPostgres Server(MicroPaths paths) => new(paths.Postgres);

    /// <summary>Starts the server (creating it the first time), makes sure the database and schema exist; returns a connection string.</summary>
    public static async Task<string> StartAsync(CommandContext ctx, MicroPaths paths, int freePort, string clusterId, CancellationToken ct)
    {
        var connectionString = await Server(paths).StartAsync(ctx.Console, ctx.Host.Env, freePort, ct);
        await PrepareAsync(ctx, connectionString, clusterId, ct);
        return connectionString;
    }

    /// <summary>Brings a database (the micro cloud's own, or one given with --db) to the current schema.</summary>
    public static async Task PrepareAsync(CommandContext ctx, string connectionString, string clusterId, CancellationToken ct)
    {
        await ManagedPostgres.MigrateAsync(ctx.Console, connectionString, ct);
        await ForgetPreviousSilosAsync(connectionString, clusterId, ct);
    }

    /// <summary>Stops the server if it runs; true if it was running.</summary>
    public static Task<bool> StopAsync(MicroPaths paths, Func<string, string?> env, CancellationToken ct) => Server(paths).StopAsync(env, ct);

    /// <summary>The connection string of the running micro cloud's database, for <c>granary db</c>; null if it is not running.</summary>
    public static Task<string?> ConnectionStringIfRunningAsync(MicroPaths paths, Func<string, string?> env, CancellationToken ct) =>
        Server(paths).ConnectionStringIfRunningAsync(env, ct);

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
