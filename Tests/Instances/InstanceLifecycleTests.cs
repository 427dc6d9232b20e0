using Granary.Instances;

namespace Granary.Tests.Instances;

public sealed class InstanceLifecycleTests
{
    private static readonly InstanceState?[] From = [null, .. Enum.GetValues<InstanceState>().Cast<InstanceState?>()];

    // The complete table of legal moves; everything else must be refused.
    private static readonly HashSet<(InstanceState?, InstanceState)> Allowed =
    [
        (null, InstanceState.Starting),
        (InstanceState.Starting, InstanceState.Running),
        (InstanceState.Starting, InstanceState.Stopping),
        (InstanceState.Starting, InstanceState.Crashed),
        (InstanceState.Running, InstanceState.Stopping),
        (InstanceState.Running, InstanceState.Crashed),
        (InstanceState.Stopping, InstanceState.Stopped),
        (InstanceState.Crashed, InstanceState.Starting),
        (InstanceState.Crashed, InstanceState.Stopped),
    ];

    public static TheoryData<InstanceState?, InstanceState> EveryMove()
    {
        var data = new TheoryData<InstanceState?, InstanceState>();
        foreach (var from in From)
        foreach (var to in Enum.GetValues<InstanceState>())
        {
            data.Add(from, to);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(EveryMove))]
    public void Check_AnyMove_AllowedExactlyWhenInTheTable(InstanceState? from, InstanceState to)
    {
        var result = InstanceLifecycle.Check(from, to);

        Assert.Equal(Allowed.Contains((from, to)), result.Allowed);
        Assert.Equal(result.Allowed, result.RefusedBecause is null);
    }

    [Fact]
    public void Check_SameMoveTwice_RefusedTheSameWay()
    {
        var first = InstanceLifecycle.Check(InstanceState.Stopped, InstanceState.Running);
        var second = InstanceLifecycle.Check(InstanceState.Stopped, InstanceState.Running);

        Assert.Equal(first, second);
        Assert.Equal("an instance cannot go from STOPPED to RUNNING", first.RefusedBecause);
    }

    [Fact]
    public void Check_SameState_RefusedAsAlreadyThere()
    {
        var result = InstanceLifecycle.Check(InstanceState.Running, InstanceState.Running);

        Assert.Equal("the instance is already RUNNING", result.RefusedBecause);
    }

    [Fact]
    public void Check_FromStopped_NothingAllowed()
    {
        Assert.All(Enum.GetValues<InstanceState>(), to => Assert.False(InstanceLifecycle.Check(InstanceState.Stopped, to).Allowed));
        Assert.True(InstanceLifecycle.IsTerminal(InstanceState.Stopped));
    }
}
