using Granary.Migrations;
using Granary.Tests.Support.Postgres;

namespace Granary.Tests.Persistence;

/// <summary>deploy/sql applied by the migrator: once, in order, safely from two nodes at once.</summary>
public sealed class MigrationTests
{
    [Fact]
    public async Task Migrate_Twice_SecondRunAppliesNothing()
    {
        var db = await (await TestPostgres.Shared).CreateDatabaseAsync("migrate");

        var first = await SchemaMigrator.MigrateAsync(db, CancellationToken.None);
        var second = await SchemaMigrator.MigrateAsync(db, CancellationToken.None);

        Assert.Equal(MigrationScript.Embedded.Select(s => s.Version), first.Applied.Select(s => s.Version));
        Assert.Empty(second.Applied);
        Assert.Equal(MigrationScript.Embedded.Count, second.AlreadyApplied);
        Assert.Equal(MigrationScript.Embedded.Count, await PersistenceDatabase.ScalarAsync<long>(db, "SELECT count(*) FROM granary_schema_migrations"));
    }

    [Fact]
    public async Task Migrate_FromFourNodesAtOnce_EachScriptAppliedExactlyOnce()
    {
        var db = await (await TestPostgres.Shared).CreateDatabaseAsync("migrate");

        var reports = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() => SchemaMigrator.MigrateAsync(db, CancellationToken.None))));

        Assert.Equal(MigrationScript.Embedded.Count, reports.Sum(r => r.Applied.Count));
        Assert.Equal(MigrationScript.Embedded.Count, await PersistenceDatabase.ScalarAsync<long>(db, "SELECT count(*) FROM granary_schema_migrations"));
    }

    [Fact]
    public async Task Migrate_EveryScriptIsIdempotent_ReRunningItsSqlChangesNothing()
    {
        var db = await (await TestPostgres.Shared).CreateDatabaseAsync("migrate");
        await SchemaMigrator.MigrateAsync(db, CancellationToken.None);
        var queries = await PersistenceDatabase.ScalarAsync<long>(db, "SELECT count(*) FROM OrleansQuery");

        // As if an operator ran the files by hand on a migrated database.
        foreach (var script in MigrationScript.Embedded)
            await PersistenceDatabase.ExecuteAsync(db, script.Sql);

        Assert.Equal(queries, await PersistenceDatabase.ScalarAsync<long>(db, "SELECT count(*) FROM OrleansQuery"));
    }

    [Fact]
    public async Task Migrate_ABrokenScript_LeavesNothingOfItAndNamesIt()
    {
        var db = await (await TestPostgres.Shared).CreateDatabaseAsync("migrate");
        MigrationScript[] scripts =
        [
            new(1, "good", "CREATE TABLE kept (id int)"),
            new(2, "broken", "CREATE TABLE half_made (id int); SELECT no_such_function();"),
        ];

        var failure = await Assert.ThrowsAsync<MigrationFailedException>(() => SchemaMigrator.MigrateAsync(db, scripts, CancellationToken.None));

        Assert.Contains("0002_broken.sql", failure.Message);
        Assert.Equal(1L, await PersistenceDatabase.ScalarAsync<long>(db, "SELECT count(*) FROM granary_schema_migrations"));
        Assert.Equal(0L, await PersistenceDatabase.ScalarAsync<long>(db, "SELECT count(*) FROM pg_tables WHERE tablename = 'half_made'"));
    }

    [Fact]
    public void Pending_ScriptEditedAfterItWasApplied_IsRefused()
    {
        var shipped = new MigrationScript(1, "one", "CREATE TABLE a (id int)");
        var edited = shipped with { Sql = "CREATE TABLE a (id bigint)" };

        var failure = Assert.Throws<MigrationFailedException>(() =>
            MigrationPlan.Pending([edited], new Dictionary<int, string> { [1] = shipped.Checksum }));

        Assert.Contains("changed after it was applied", failure.Message);
    }

    [Fact]
    public void Pending_DatabaseMigratedByANewerGranary_IsRefused()
    {
        var failure = Assert.Throws<MigrationFailedException>(() =>
            MigrationPlan.Pending([new MigrationScript(1, "one", "SELECT 1")], new Dictionary<int, string> { [7] = new string('0', 64) }));

        Assert.Contains("newer than this Granary knows", failure.Message);
    }

    [Theory]
    [InlineData("0001_orleans_membership.sql", 1, "orleans_membership")]
    [InlineData("0042_x.sql", 42, "x")]
    public void ParseFileName_WellFormed_GivesVersionAndName(string file, int version, string name) =>
        Assert.Equal((version, name), MigrationScript.ParseFileName(file));

    [Theory]
    [InlineData("1_short.sql")]
    [InlineData("0000_zero.sql")]
    [InlineData("0001_no_extension")]
    [InlineData("abcd_letters.sql")]
    public void ParseFileName_Malformed_IsNull(string file) => Assert.Null(MigrationScript.ParseFileName(file));
}
