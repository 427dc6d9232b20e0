using Granary.Tenancy;

namespace Granary.Tests.Tenancy;

public sealed class QuotaCheckTests
{
    private static readonly QuotaPlan Small = new("small", MemoryMb: 1024, Instances: 4, Apps: 2, Routes: 3, InstanceMemoryMb: 512);

    [Theory]
    [InlineData(0, 0, 0, 0, 2, 512, 1, null)]
    [InlineData(1, 2, 512, 1, 2, 256, 1, null)]
    [InlineData(1, 2, 512, 1, 2, 1024, 1, "instance of 1G is more than quota 'small'")]
    [InlineData(1, 2, 768, 1, 1, 512, 1, "needs 1280M of memory in org a; its quota 'small' allows 1G and 768M are in use")]
    [InlineData(1, 3, 300, 1, 2, 100, 1, "needs 5 instances in org a; its quota 'small' allows 4 and 3 are in use")]
    [InlineData(2, 0, 0, 0, 1, 100, 0, "org a has 2 apps; its quota 'small' allows 2")]
    [InlineData(1, 0, 0, 3, 0, 100, 1, "needs 4 routes in org a")]
    public void Violation_UseAndFootprint_NamesTheFirstLimitPassed(int apps, int instances, int memory, int routes,
        int appInstances, int appMemoryEach, int appRoutes, string? expected)
    {
        var others = new QuotaUsage(apps, instances, memory, routes);
        var footprint = new Footprint(appInstances, appInstances * appMemoryEach, appRoutes, appMemoryEach);

        var violation = QuotaCheck.Violation(Small, others, footprint, "org a");

        if (expected is null)
            Assert.Null(violation);
        else
            Assert.Contains(expected, violation);
    }

    [Fact]
    public void Violation_NoPlan_Never() =>
        Assert.Null(QuotaCheck.Violation(null, new QuotaUsage(1000, 1000, 1000000, 1000), new Footprint(100, 100000, 10, 1000), "org a"));

    [Fact]
    public void FootprintOf_StoppedApp_HoldsNoMemoryOrInstances()
    {
        var spec = new Granary.Apps.AppSpec("a", 3, 256, System.Collections.Immutable.ImmutableDictionary<string, string>.Empty, null,
            Granary.Apps.HealthCheckSpec.Default, Granary.Apps.AppState.Stopped);

        Assert.Equal(new Footprint(0, 0, 1, 256), TenancyGrain.FootprintOf(spec, 1));
        Assert.Equal(new Footprint(3, 768, 1, 256), TenancyGrain.FootprintOf(spec with { State = Granary.Apps.AppState.Started }, 1));
    }
}
