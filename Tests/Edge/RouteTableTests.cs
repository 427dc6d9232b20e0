using RouteTable = Granary.Edge.Routing.RouteTable;
using Granary.Edge.Routing;
using Granary.Routes;
using static Granary.Tests.Edge.RouteData;

namespace Granary.Tests.Edge;

public sealed class RouteTableTests
{
    [Fact]
    public void Empty_NotLoaded_VersionZero()
    {
        Assert.False(RouteTable.Empty.Loaded);
        Assert.Equal(0, RouteTable.Empty.Version);
        Assert.Empty(RouteTable.Empty.Apps);
    }

    [Fact]
    public void Apply_FullSnapshotOnEmpty_LoadsEveryApp()
    {
        var (a, b) = (App("a"), App("b"));

        var update = RouteTable.Empty.Apply(Full(7, a, b));

        Assert.Equal(RouteTableUpdateKind.Applied, update.Kind);
        Assert.True(update.Table.Loaded);
        Assert.Equal(7, update.Table.Version);
        Assert.Same(a, update.Table.Apps[a.AppId]);
        Assert.Same(b, update.Table.Apps[b.AppId]);
    }

    [Fact]
    public void Apply_FullSnapshot_ReplacesWhatWasHeld()
    {
        var (old, fresh) = (App("old"), App("fresh"));

        var update = Table(3, old).Apply(Full(4, fresh));

        Assert.Equal([fresh.AppId], update.Table.Apps.Keys);
    }

    [Fact]
    public void Apply_OlderFullSnapshot_RefusedAndTableKept()
    {
        var table = Table(9, App("a"));

        var update = table.Apply(Full(8, App("b")));

        Assert.Equal(RouteTableUpdateKind.Refused, update.Kind);
        Assert.Same(table, update.Table);
        Assert.Contains("older", update.Reason);
    }

    [Fact]
    public void Apply_FullSnapshotAtSameVersion_Replaces()
    {
        var app = App("a");

        var update = Table(5, App("stale")).Apply(Full(5, app));

        Assert.Equal(RouteTableUpdateKind.Applied, update.Kind);
        Assert.Equal([app.AppId], update.Table.Apps.Keys);
    }

    [Fact]
    public void Apply_Delta_UpsertsChangedAndKeepsOthers()
    {
        var (a, b) = (App("a", 1), App("b"));
        var a2 = a with { Backends = [Backend(0, 1), Backend(1, 2)] };
        var c = App("c");

        var update = Table(1, a, b).Apply(Delta(3, [a2, c]));

        Assert.Equal(RouteTableUpdateKind.Applied, update.Kind);
        Assert.Equal(3, update.Table.Version);
        Assert.Same(a2, update.Table.Apps[a.AppId]);
        Assert.Same(b, update.Table.Apps[b.AppId]);
        Assert.Same(c, update.Table.Apps[c.AppId]);
    }

    [Fact]
    public void Apply_DeltaRemoval_DropsTheApp()
    {
        var (a, b) = (App("a"), App("b"));

        var update = Table(1, a, b).Apply(Delta(2, removed: [a.AppId]));

        Assert.Equal([b.AppId], update.Table.Apps.Keys);
    }

    [Fact]
    public void Apply_DeltaRemovingUnknownApp_IsHarmless()
    {
        var a = App("a");

        var update = Table(1, a).Apply(Delta(2, removed: [Guid.NewGuid()]));

        Assert.Equal(RouteTableUpdateKind.Applied, update.Kind);
        Assert.Equal([a.AppId], update.Table.Apps.Keys);
    }

    [Theory]
    [InlineData(4)]
    [InlineData(5)]
    public void Apply_DeltaNotPastHeldVersion_RefusedAndTableKept(long version)
    {
        var table = Table(5, App("a"));

        var update = table.Apply(Delta(version, [App("late")]));

        Assert.Equal(RouteTableUpdateKind.Refused, update.Kind);
        Assert.Same(table, update.Table);
    }

    [Fact]
    public void Apply_EmptyDeltaAtHeldVersion_Unchanged()
    {
        var table = Table(5, App("a"));

        var update = table.Apply(Delta(5));

        Assert.Equal(RouteTableUpdateKind.Unchanged, update.Kind);
        Assert.Same(table, update.Table);
    }

    [Fact]
    public void Apply_EmptyDeltaAtZeroOnUnloadedTable_LoadsTheEmptyTable()
    {
        // The control plane with no apps yet answers "changes since 0" with nothing at version 0: that is a table.
        var update = RouteTable.Empty.Apply(Delta(0));

        Assert.Equal(RouteTableUpdateKind.Applied, update.Kind);
        Assert.True(update.Table.Loaded);
        Assert.Empty(update.Table.Apps);
    }

    [Fact]
    public void Apply_DeltaOnUnloadedTable_AppliesOnTheEmptyTable()
    {
        var a = App("a");

        var update = RouteTable.Empty.Apply(Delta(2, [a]));

        Assert.True(update.Table.Loaded);
        Assert.Equal([a.AppId], update.Table.Apps.Keys);
    }

    [Fact]
    public void Apply_SequenceOfDeltas_EndsAtLastVersionWhateverArrivesLate()
    {
        var a = App("a");
        var table = Table(1, a);
        var v2 = a with { Backends = [Backend(0, 2)] };
        var v3 = a with { Backends = [Backend(0, 3)] };

        table = table.Apply(Delta(2, [v2])).Table;
        table = table.Apply(Delta(3, [v3])).Table;
        var late = table.Apply(Delta(2, [v2]));

        Assert.Equal(RouteTableUpdateKind.Refused, late.Kind);
        Assert.Same(v3, late.Table.Apps[a.AppId]);
        Assert.Equal(3, late.Table.Version);
    }

    [Fact]
    public void Apply_SnapshotListingAnAppTwice_LastOneWinsWithoutThrowing()
    {
        var a = App("a");
        var again = a with { AppName = "a-again" };

        var update = RouteTable.Empty.Apply(Full(1, a, again));

        Assert.Equal("a-again", update.Table.Apps[a.AppId].AppName);
    }

    [Fact]
    public void FromSnapshot_LowerVersion_TakenAsTheTruth()
    {
        var a = App("a");

        var table = RouteTable.FromSnapshot(Full(2, a));

        Assert.Equal(2, table.Version);
        Assert.True(table.Loaded);
        Assert.Equal([a.AppId], table.Apps.Keys);
    }

    [Fact]
    public void Apply_DefaultArrays_TreatedAsEmpty()
    {
        var update = Table(1, App("a")).Apply(new RouteTableChanges(2, false, default, default));

        Assert.Equal(RouteTableUpdateKind.Applied, update.Kind);
        Assert.Single(update.Table.Apps);
    }

    [Fact]
    public void Apply_DeltaOfAnotherEpoch_RefusedAndTableKept()
    {
        var table = RouteTable.FromSnapshot(new RouteTableChanges(3, true, [App("a")], [], Epoch: 7));

        var update = table.Apply(new RouteTableChanges(4, false, [App("b")], [], Epoch: 8));

        Assert.Equal(RouteTableUpdateKind.Refused, update.Kind);
        Assert.Same(table, update.Table);
        Assert.Contains("epoch", update.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Apply_NothingNewButAnotherEpoch_RefusedNotUnchanged()
    {
        var table = RouteTable.FromSnapshot(new RouteTableChanges(3, true, [App("a")], [], Epoch: 7));

        Assert.Equal(RouteTableUpdateKind.Refused, table.Apply(new RouteTableChanges(3, false, [], [], Epoch: 8)).Kind);
    }

    [Fact]
    public void Apply_DeltaOfTheSameEpoch_KeepsIt()
    {
        var table = RouteTable.FromSnapshot(new RouteTableChanges(3, true, [App("a")], [], Epoch: 7));

        var update = table.Apply(new RouteTableChanges(4, false, [App("b")], [], Epoch: 7));

        Assert.Equal(RouteTableUpdateKind.Applied, update.Kind);
        Assert.Equal(7, update.Table.Epoch);
    }
}
