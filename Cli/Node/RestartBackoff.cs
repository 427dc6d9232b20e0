namespace Granary.Cli.Node;

/// <summary>Pure: how long the supervisor waits before starting a process that exited again.</summary>
internal static class RestartBackoff
{
    public static readonly TimeSpan First = TimeSpan.FromSeconds(1);
    public static readonly TimeSpan Max = TimeSpan.FromSeconds(30);

    /// <summary>A run this long ends a crash streak: the next exit is treated as the first.</summary>
    public static readonly TimeSpan HealthyAfter = TimeSpan.FromSeconds(60);

    /// <param name="exitsInARow">Exits without a healthy run between them, counting this one (1 or more).</param>
    public static TimeSpan Delay(int exitsInARow)
    {
        var doublings = Math.Clamp(exitsInARow - 1, 0, 10);
        var delay = TimeSpan.FromTicks(First.Ticks << doublings);
        return delay < Max ? delay : Max;
    }

    public static int NextStreak(int exitsInARow, TimeSpan ranFor) => ranFor >= HealthyAfter ? 1 : exitsInARow + 1;
}
