using Granary.Health;

namespace Granary.Tests.Health;

public sealed class CrashPolicyTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 23, 12, 0, 0, TimeSpan.Zero);
    private static readonly CrashBackoffOptions Options = new();

    /// <summary>Crashes of index 0, each after running <paramref name="ranFor"/>, one every <paramref name="every"/>.</summary>
    private static List<CrashRecord> Crashes(int count, TimeSpan ranFor, TimeSpan every) =>
        Enumerable.Range(0, count).Select(i =>
        {
            var crashedAt = T0 + every * i;
            return new CrashRecord(0, Guid.NewGuid(), "n1", crashedAt - ranFor, crashedAt, 3, "exit 3", []);
        }).ToList();

    [Fact]
    public void No_crashes_means_nothing_to_wait_for()
    {
        var status = CrashPolicy.Evaluate([], Options);
        Assert.Equal(0, status.Count);
        Assert.False(status.Flapping);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void The_first_three_crashes_restart_at_once(int crashes)
    {
        var history = Crashes(crashes, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2));
        var status = CrashPolicy.Evaluate(history, Options);
        Assert.Equal(crashes, status.Count);
        Assert.Equal(TimeSpan.Zero, status.Delay);
        Assert.Equal(history[^1].CrashedAt, status.RestartAt);
        Assert.False(status.Flapping);
    }

    [Theory]
    [InlineData(4, 2)]
    [InlineData(5, 4)]
    [InlineData(6, 8)]
    [InlineData(9, 64)]
    [InlineData(11, 256)]
    [InlineData(12, 300)]
    [InlineData(40, 300)]
    [InlineData(1000, 300)]
    public void Then_the_delay_doubles_from_two_seconds_up_to_five_minutes(int crashes, int seconds)
    {
        var history = Crashes(crashes, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(3));
        var status = CrashPolicy.Evaluate(history, Options);
        Assert.Equal(TimeSpan.FromSeconds(seconds), status.Delay);
        Assert.Equal(history[^1].CrashedAt + TimeSpan.FromSeconds(seconds), status.RestartAt);
        Assert.True(status.Flapping);
    }

    [Fact]
    public void A_healthy_run_ends_the_streak()
    {
        var history = Crashes(6, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(10));
        // The newest crash came after ten healthy minutes: only it counts.
        history.Add(new CrashRecord(0, Guid.NewGuid(), "n1", T0 + TimeSpan.FromMinutes(5), T0 + TimeSpan.FromMinutes(15), 1, "exit 1", []));
        var status = CrashPolicy.Evaluate(history, Options);
        Assert.Equal(1, status.Count);
        Assert.False(status.Flapping);
        Assert.Equal(TimeSpan.Zero, status.Delay);
    }

    [Fact]
    public void Crashes_after_a_healthy_run_count_again_from_one()
    {
        var history = new List<CrashRecord>
        {
            new(0, Guid.NewGuid(), "n1", T0, T0 + TimeSpan.FromHours(1), 1, "x", []), // healthy for an hour
        };
        history.AddRange(Crashes(4, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(5)).Select(c =>
            c with { StartedAt = c.StartedAt + TimeSpan.FromHours(2), CrashedAt = c.CrashedAt + TimeSpan.FromHours(2) }));
        var status = CrashPolicy.Evaluate(history, Options);
        Assert.Equal(5, status.Count); // the four quick ones and the one that ended the healthy hour
        Assert.Equal(TimeSpan.FromSeconds(4), status.Delay);
    }

    [Fact]
    public void Order_of_the_records_does_not_matter()
    {
        var history = Crashes(5, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(3));
        var shuffled = history.OrderBy(c => c.InstanceId).ToList();
        Assert.Equal(CrashPolicy.Evaluate(history, Options), CrashPolicy.Evaluate(shuffled, Options));
    }

    [Fact]
    public void The_policy_is_configurable()
    {
        var options = new CrashBackoffOptions
        {
            ImmediateRestarts = 1, FirstDelay = TimeSpan.FromMilliseconds(100), MaxDelay = TimeSpan.FromMilliseconds(350),
        };
        Assert.Equal(TimeSpan.Zero, CrashPolicy.DelayAfter(1, options));
        Assert.Equal(TimeSpan.FromMilliseconds(100), CrashPolicy.DelayAfter(2, options));
        Assert.Equal(TimeSpan.FromMilliseconds(200), CrashPolicy.DelayAfter(3, options));
        Assert.Equal(TimeSpan.FromMilliseconds(350), CrashPolicy.DelayAfter(4, options));
        Assert.Equal(TimeSpan.FromMilliseconds(350), CrashPolicy.DelayAfter(int.MaxValue, options));
    }
}
