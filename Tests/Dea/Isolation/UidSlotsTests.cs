using Granary.Silo.Dea.Isolation;

namespace Granary.Tests.Dea.Isolation;

public sealed class UidSlotsTests
{
    [Fact]
    public void Take_Fresh_FirstOfTheRangeThenNext()
    {
        var slots = new UidSlots(200_000, 10);

        Assert.Equal(200_000, slots.Take());
        Assert.Equal(200_001, slots.Take());
        Assert.Equal(2, slots.InUse);
    }

    [Fact]
    public void Take_AfterReturn_LowestFreeAgain()
    {
        var slots = new UidSlots(500, 10);
        var first = slots.Take();
        slots.Take();
        slots.Take();

        slots.Return(first);

        Assert.Equal(500, slots.Take());
        Assert.Equal(503, slots.Take());
    }

    [Fact]
    public void Take_RangeExhausted_ThrowsNamingTheSetting()
    {
        var slots = new UidSlots(1000, 2);
        slots.Take();
        slots.Take();

        var error = Assert.Throws<InvalidOperationException>(() => slots.Take());

        Assert.Contains("UidCount", error.Message);
        Assert.Contains("1000-1001", error.Message);
    }

    [Fact]
    public void Take_Concurrently_NeverTheSameUidTwice()
    {
        var slots = new UidSlots(1, 1000);

        var uids = Enumerable.Range(0, 1000).AsParallel().Select(_ => slots.Take()).ToList();

        Assert.Equal(1000, uids.Distinct().Count());
        Assert.All(uids, uid => Assert.InRange(uid, 1, 1000));
    }

    [Fact]
    public void Return_UidNeverTaken_NoEffect()
    {
        var slots = new UidSlots(10, 3);
        slots.Return(11);

        Assert.Equal(10, slots.Take());
        Assert.Equal(1, slots.InUse);
    }
}
