using Granary.Migrations;
using Npgsql;

namespace Granary.Silo.Persistence;

/// <summary>
/// Brings the database schema up to date before anything else in the silo starts (membership, storage and
/// reminders read their queries from it). A database that is still starting is waited for; a migration that
/// fails stops the silo with the script's name and PostgreSQL's message.
/// </summary>
public sealed partial class SchemaMigrationParticipant(DatabaseSettings database, ILogger<SchemaMigrationParticipant> logger)
    : ILifecycleParticipant<ISiloLifecycle>
{
    private static readonly TimeSpan StartupWait = TimeSpan.FromSeconds(60);

    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(SchemaMigrationParticipant), ServiceLifecycleStage.First, MigrateAsync);

    private async Task MigrateAsync(CancellationToken ct)
    {
        var deadline = DateTime.UtcNow + StartupWait;
        while (true)
        {
            try
            {
                var report = await SchemaMigrator.MigrateAsync(database.ConnectionString, ct);
                foreach (var script in report.Applied)
                    LogApplied(script.Version, script.Name, database.Describe());
                return;
            }
            catch (NpgsqlException e) when (e is not PostgresException && DateTime.UtcNow < deadline)
            {
                LogWaiting(database.Describe(), e.Message);
                await Task.Delay(TimeSpan.FromSeconds(1), ct);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Applied migration {Version:D4}_{Name} to {Database}")]
    private partial void LogApplied(int version, string name, string database);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Waiting for PostgreSQL at {Database}: {Reason}")]
    private partial void LogWaiting(string database, string reason);
}
