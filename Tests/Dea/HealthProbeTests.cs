using Granary.Silo.Dea;

namespace Granary.Tests.Dea;

public sealed class HealthProbeTests
{
    [Theory]
    [InlineData(0, 20)]
    [InlineData(1999, 20)]
    [InlineData(2000, 100)]
    [InlineData(60_000, 100)]
    public void IntervalAfter_SinceSpawn_OftenAtFirstThenLessOften(int sinceMs, int intervalMs) =>
        Assert.Equal(TimeSpan.FromMilliseconds(intervalMs), HealthProbe.IntervalAfter(TimeSpan.FromMilliseconds(sinceMs)));
}
