using System.Collections.Immutable;
using Granary.Apps;
using Granary.Staging;

namespace Granary.Tests.Apps;

public sealed class AppConvergenceTests
{
    private static readonly DropletRef Droplet = new("d1", "node", "node server.js", 10, DateTimeOffset.UnixEpoch);

    private static AppSpec Spec(int instances, AppState state = AppState.Started, int memory = 256) =>
        new("web", instances, memory, ImmutableDictionary<string, string>.Empty, null, HealthCheckSpec.Default, state);

    private static InstanceSlot Slot(int index, string droplet = "d1", int memory = 256) =>
        new(index, Guid.NewGuid(), "micro", droplet, memory);

    [Fact]
    public void Plan_NoSlots_StartsEveryIndex()
    {
        var plan = AppConvergence.Plan(Spec(3), Droplet, []);

        Assert.Equal([0, 1, 2], plan.Start.ToArray());
        Assert.Empty(plan.Stop);
    }

    [Fact]
    public void Plan_AllInPlace_NothingToDo()
    {
        Assert.True(AppConvergence.Plan(Spec(2), Droplet, [Slot(0), Slot(1)]).IsEmpty);
    }

    [Fact]
    public void Plan_ScaledDown_StopsTheHighestIndices()
    {
        var slots = new[] { Slot(0), Slot(1), Slot(2) };

        var plan = AppConvergence.Plan(Spec(1), Droplet, slots);

        Assert.Empty(plan.Start);
        Assert.Equal([1, 2], plan.Stop.Select(s => s.Slot.Index).Order());
        Assert.All(plan.Stop, s => Assert.Equal("scaled down to 1", s.Reason));
    }

    [Fact]
    public void Plan_Stopped_StopsAll()
    {
        var plan = AppConvergence.Plan(Spec(2, AppState.Stopped), Droplet, [Slot(0), Slot(1)]);

        Assert.Empty(plan.Start);
        Assert.Equal(2, plan.Stop.Length);
        Assert.All(plan.Stop, s => Assert.Equal("the app was stopped", s.Reason));
    }

    [Fact]
    public void Plan_NoDroplet_StartsNothing()
    {
        var plan = AppConvergence.Plan(Spec(2), null, []);

        Assert.True(plan.IsEmpty);
    }

    [Fact]
    public void Plan_NewDroplet_ReplacesEveryInstance()
    {
        var plan = AppConvergence.Plan(Spec(2), Droplet, [Slot(0, "old"), Slot(1, "old")]);

        Assert.Equal([0, 1], plan.Start.ToArray());
        Assert.All(plan.Stop, s => Assert.Equal("replaced by a new droplet", s.Reason));
    }

    [Fact]
    public void Plan_MemoryChanged_ReplacesEveryInstance()
    {
        var plan = AppConvergence.Plan(Spec(1, memory: 512), Droplet, [Slot(0, memory: 256)]);

        Assert.Equal([0], plan.Start.ToArray());
        Assert.Equal("memory changed to 512 MB", Assert.Single(plan.Stop).Reason);
    }

    [Fact]
    public void Plan_DuplicateIndex_StopsTheDuplicateOnly()
    {
        var first = Slot(0);
        var duplicate = Slot(0);

        var plan = AppConvergence.Plan(Spec(1), Droplet, [first, duplicate]);

        Assert.Empty(plan.Start);
        Assert.Equal(duplicate, Assert.Single(plan.Stop).Slot);
    }

    [Fact]
    public void Plan_MissingMiddleIndex_StartsOnlyThatOne()
    {
        var plan = AppConvergence.Plan(Spec(3), Droplet, [Slot(0), Slot(2)]);

        Assert.Equal([1], plan.Start.ToArray());
        Assert.Empty(plan.Stop);
    }

    [Fact]
    public void Plan_EvacuatingSlot_GetsAReplacementAndKeepsRunning()
    {
        var leaving = Slot(0) with { Evacuating = true };

        var plan = AppConvergence.Plan(Spec(1), Droplet, [leaving]);

        Assert.Equal([0], plan.Start.ToArray());
        Assert.Empty(plan.Stop);
    }

    [Fact]
    public void Plan_EvacuatingSlotWithItsReplacement_IsNotADuplicate()
    {
        var plan = AppConvergence.Plan(Spec(1), Droplet, [Slot(0) with { Evacuating = true }, Slot(0)]);

        Assert.True(plan.IsEmpty);
    }

    [Fact]
    public void Plan_EvacuatingSlot_StopsWhenTheAppStopsOrScalesDown()
    {
        var leaving = Slot(1) with { Evacuating = true };

        Assert.Single(AppConvergence.Plan(Spec(1), Droplet, [Slot(0), leaving]).Stop);
        Assert.Equal(2, AppConvergence.Plan(Spec(2, AppState.Stopped), Droplet, [Slot(0), leaving]).Stop.Length);
    }
}
