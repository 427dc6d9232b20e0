using System.CommandLine;
using Granary.Cli.Micro;
using Granary.Migrations;
using Npgsql;

namespace Granary.Cli.Commands;

/// <summary><c>granary db migrate</c>: applies deploy/sql to a database (a cluster's, or the micro cloud's own).</summary>
internal static class DbCommand
{
    public static Command Create(CliHost host) => new("db", "Granary's PostgreSQL schema")
    {
        Migrate(host),
    };

    private static Command Migrate(CliHost host)
    {
        var db = new Option<string?>("--db")
        {
            Description = "PostgreSQL connection string (default: GRANARY_DATABASE, else the running micro cloud's database)",
            HelpName = "CONNSTR",
        };
        var command = new Command("migrate", "Apply Granary's schema migrations; safe to repeat and to run from several nodes at once") { db };
        command.SetAction(host, async (parse, ctx, ct) =>
        {
            var connectionString = parse.GetValue(db) is { Length: > 0 } given ? given
                : ctx.Host.Env("GRANARY_DATABASE") is { Length: > 0 } fromEnv ? fromEnv
                : await MicroDatabase.ConnectionStringIfRunningAsync(new MicroPaths(ctx.Store.Home), ctx.Host.Env, ct)
                  ?? throw new UsageException("no database given: pass --db CONNSTR or set GRANARY_DATABASE (or start the micro cloud)");
            var report = await RunAsync(connectionString, ct);
            foreach (var script in report.Applied)
                ctx.Console.Line($"applied {script.Version:D4}_{script.Name}");
            ctx.Console.Line(report.Applied.Count == 0
                ? $"Schema up to date ({report.AlreadyApplied} migrations applied earlier)"
                : $"Applied {report.Applied.Count} migration(s); {report.AlreadyApplied} were already applied");
            return 0;
        });
        return command;
    }

    private static async Task<MigrationReport> RunAsync(string connectionString, CancellationToken ct)
    {
        try
        {
            return await SchemaMigrator.MigrateAsync(connectionString, ct);
        }
        catch (ArgumentException e)
        {
            throw new UsageException($"--db is not a PostgreSQL connection string ({e.Message}); e.g. Host=10.0.0.5;Username=granary;Password=...;Database=granary");
        }
        catch (NpgsqlException e) when (e is not PostgresException)
        {
            throw new CliException($"cannot reach the database: {e.Message}");
        }
        catch (PostgresException e)
        {
            throw new CliException($"the database refused: {e.MessageText}");
        }
        catch (MigrationFailedException e)
        {
            throw new CliException(e.Message);
        }
    }
}
