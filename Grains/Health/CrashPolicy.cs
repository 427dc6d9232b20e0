namespace Granary.Health;

/// <summary>Where an instance index stands in the crash policy.</summary>
public readonly record struct CrashStatus(int Count, TimeSpan Delay, DateTimeOffset RestartAt, bool Flapping)
{
    public static CrashStatus None { get; } = new(0, TimeSpan.Zero, DateTimeOffset.MinValue, false);
}

/// <summary>
/// The crash backoff (pure): the first crashes of an index restart at once, then 2 s, 4 s, 8 s … up to a
/// cap. Crashes count in a row: a run that lasted <see cref="CrashBackoffOptions.HealthyAfter"/> ends
/// the streak, so an app that crashes once a day is never held back.
/// </summary>
public static class CrashPolicy
{
    /// <param name="crashes">The crashes of one index, in any order.</param>
    public static CrashStatus Evaluate(IEnumerable<CrashRecord> crashes, CrashBackoffOptions options)
    {
        var newestFirst = crashes.OrderByDescending(c => c.CrashedAt).ToList();
        if (newestFirst.Count == 0)
        {
            return CrashStatus.None;
        }

        var count = 0;
        foreach (var crash in newestFirst)
        {
            count++;
            if (crash.CrashedAt - crash.StartedAt >= options.HealthyAfter)
            {
                break; // it ran healthy before this crash: earlier crashes no longer count
            }
        }

        var delay = DelayAfter(count, options);
        return new CrashStatus(count, delay, newestFirst[0].CrashedAt + delay, count > options.ImmediateRestarts);
    }

    /// <summary>The wait before restarting after the <paramref name="count"/>th crash in a row.</summary>
    public static TimeSpan DelayAfter(int count, CrashBackoffOptions options)
    {
        var beyond = count - options.ImmediateRestarts;
        if (beyond <= 0)
        {
            return TimeSpan.Zero;
        }

        // Doubling overflows long before 64 steps; the cap is reached far sooner anyway.
        var factor = Math.Pow(2, Math.Min(beyond - 1, 40));
        var delay = TimeSpan.FromTicks((long)Math.Min(options.FirstDelay.Ticks * factor, options.MaxDelay.Ticks));
        return delay < options.MaxDelay ? delay : options.MaxDelay;
    }
}
