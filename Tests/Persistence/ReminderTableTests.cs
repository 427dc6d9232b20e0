using Microsoft.Extensions.DependencyInjection;

namespace Granary.Tests.Persistence;

/// <summary>The real ADO.NET reminder table on Granary's SQL: upserts, etags, and the ring-range reads silos use.</summary>
public sealed class ReminderTableTests
{
    [Fact]
    public async Task Reminders_UpsertReadAndRemove_FollowEtags()
    {
        var db = await PersistenceDatabase.CreateMigratedAsync("reminders");
        await using var cluster = await PostgresTestCluster.StartAsync(db, 1, "rem-" + Guid.NewGuid().ToString("N")[..8]);
        var table = cluster.Silos[0].ServiceProvider.GetRequiredService<IReminderTable>();
        var grain = GrainId.Create("granary-test", Guid.NewGuid().ToString("N"));
        var start = new DateTime(2026, 1, 2, 3, 4, 5, DateTimeKind.Utc);

        var first = await table.UpsertRow(new ReminderEntry { GrainId = grain, ReminderName = "sweep", StartAt = start, Period = TimeSpan.FromMinutes(1) });
        var second = await table.UpsertRow(new ReminderEntry { GrainId = grain, ReminderName = "sweep", StartAt = start, Period = TimeSpan.FromMinutes(5) });
        Assert.NotEqual(first, second);

        var row = await table.ReadRow(grain, "sweep");
        Assert.NotNull(row);
        Assert.Equal(TimeSpan.FromMinutes(5), row.Period);
        Assert.Equal(start, row.StartAt.ToUniversalTime());
        Assert.Equal(second, row.ETag);
        Assert.Single((await table.ReadRows(grain)).Reminders);

        Assert.False(await table.RemoveRow(grain, "sweep", first!));
        Assert.True(await table.RemoveRow(grain, "sweep", second!));
        Assert.Empty((await table.ReadRows(grain)).Reminders);
    }

    [Fact]
    public async Task ReadRows_ByRingRange_FindsEachReminderInExactlyTheRangeThatOwnsIt()
    {
        var db = await PersistenceDatabase.CreateMigratedAsync("reminders");
        await using var cluster = await PostgresTestCluster.StartAsync(db, 1, "ring-" + Guid.NewGuid().ToString("N")[..8]);
        var table = cluster.Silos[0].ServiceProvider.GetRequiredService<IReminderTable>();
        var grains = Enumerable.Range(0, 20).Select(_ => GrainId.Create("granary-test", Guid.NewGuid().ToString("N"))).ToList();
        foreach (var grain in grains)
            await table.UpsertRow(new ReminderEntry { GrainId = grain, ReminderName = "r", StartAt = DateTime.UtcNow, Period = TimeSpan.FromMinutes(1) });

        // Four ranges that cover the ring once, one of them wrapping past the top.
        uint[] cuts = [0x1000_0000, 0x6000_0000, 0xA000_0000, 0xE000_0000];
        var found = new List<GrainId>();
        for (var i = 0; i < cuts.Length; i++)
            found.AddRange((await table.ReadRows(cuts[i], cuts[(i + 1) % cuts.Length])).Reminders.Select(r => r.GrainId));

        Assert.Equal(grains.OrderBy(g => g.ToString()), found.OrderBy(g => g.ToString()));
    }
}
