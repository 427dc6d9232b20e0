using Granary.Cli.Micro;
using Granary.Cli.Postgres;
using Npgsql;

namespace Granary.Tests.Support.Postgres;

/// <summary>
/// Real PostgreSQL servers for tests: the same <see cref="LocalPostgres"/> the micro cloud runs, in a
/// temporary directory on a free port. Tests that need PostgreSQL fail (never skip) when the server
/// programs are missing: <c>.ci/run</c> installs them.
/// </summary>
public sealed class TestPostgres : IAsyncDisposable
{
    private static readonly Lazy<Task<TestPostgres>> SharedServer = new(() => StartAsync("shared"));
    private static int _databases;

    private readonly LocalPostgres _server;
    private readonly string _root;

    private TestPostgres(LocalPostgres server, string root)
    {
        _server = server;
        _root = root;
    }

    /// <summary>One server for the whole test run; give each test class its own database.</summary>
    public static Task<TestPostgres> Shared => SharedServer.Value;

    public int Port => _server.Port;

    /// <summary>A server of the caller's own, for tests that stop and start it.</summary>
    public static async Task<TestPostgres> StartAsync(string name)
    {
        var bin = PostgresBinaries.Find(Environment.GetEnvironmentVariable)
            ?? throw new InvalidOperationException("tests need PostgreSQL: " + PostgresBinaries.MissingMessage);
        var root = Path.Combine(Path.GetTempPath(), $"granary-pg-{name}-{Environment.ProcessId}-{Guid.NewGuid():N}"[..48]);
        var server = new LocalPostgres(bin, Path.Combine(root, "data"), FreePorts.Pick(1)[0]);
        await server.InitializeAsync(CancellationToken.None);
        await server.StartAsync(CancellationToken.None);
        var instance = new TestPostgres(server, root);
        if (name == "shared")
            AppDomain.CurrentDomain.ProcessExit += (_, _) => instance.DisposeAsync().AsTask().GetAwaiter().GetResult();
        return instance;
    }

    /// <summary>Creates an empty database and returns a connection string to it.</summary>
    public async Task<string> CreateDatabaseAsync(string prefix)
    {
        var name = $"{prefix.ToLowerInvariant()}_{Interlocked.Increment(ref _databases)}_{Guid.NewGuid():N}"[..40];
        await using (var connection = new NpgsqlConnection(_server.ConnectionString("postgres")))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
            await command.ExecuteNonQueryAsync();
        }
        return _server.ConnectionString(name);
    }

    public string ConnectionString(string database) => _server.ConnectionString(database);

    public Task StopAsync() => _server.StopAsync(CancellationToken.None);

    public Task RestartAsync() => _server.StartAsync(CancellationToken.None);

    public async ValueTask DisposeAsync()
    {
        try
        {
            await _server.StopAsync(CancellationToken.None);
        }
        finally
        {
            try { Directory.Delete(_root, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }
}
