using System.Collections.Immutable;
using Granary.Routes;

namespace Granary.Tests.Routes;

public sealed class RouteTableTests
{
    private static AppRoutes App(string name, params string[] hosts) =>
        new(Guid.NewGuid(), name, [.. hosts], [], RoutePolicy.Default);

    private static (RouteTableState State, List<(long, Guid)> Log) Table(params AppRoutes[] apps)
    {
        var state = new RouteTableState();
        var log = new List<(long, Guid)>();
        foreach (var app in apps)
        {
            state.Apps[app.AppId] = app;
            log.Add((++state.Version, app.AppId));
        }

        return (state, log);
    }

    [Fact]
    public void ChangesSince_Zero_FullSnapshot()
    {
        var (state, log) = Table(App("a", "a.x"), App("b", "b.x"));

        var changes = RouteTable.ChangesSince(state, log, 0);

        Assert.True(changes.IsFull);
        Assert.Equal(2, changes.Version);
        Assert.Equal(["a", "b"], changes.Changed.Select(c => c.AppName).ToArray());
    }

    [Fact]
    public void ChangesSince_Current_EmptyDelta()
    {
        var (state, log) = Table(App("a", "a.x"));

        var changes = RouteTable.ChangesSince(state, log, 1);

        Assert.False(changes.IsFull);
        Assert.Empty(changes.Changed);
        Assert.Empty(changes.Removed);
    }

    [Fact]
    public void ChangesSince_Behind_OnlyWhatChangedAfter()
    {
        var a = App("a", "a.x");
        var b = App("b", "b.x");
        var (state, log) = Table(a, b);

        var changes = RouteTable.ChangesSince(state, log, 1);

        Assert.False(changes.IsFull);
        Assert.Equal(b, Assert.Single(changes.Changed));
    }

    [Fact]
    public void ChangesSince_AppRemoved_ListedAsRemoved()
    {
        var a = App("a", "a.x");
        var (state, log) = Table(a);
        state.Apps.Remove(a.AppId);
        log.Add((++state.Version, a.AppId));

        var changes = RouteTable.ChangesSince(state, log, 1);

        Assert.Equal([a.AppId], changes.Removed.ToArray());
        Assert.Empty(changes.Changed);
    }

    [Fact]
    public void ChangesSince_OlderThanTheLog_FullSnapshot()
    {
        var (state, log) = Table(App("a", "a.x"), App("b", "b.x"), App("c", "c.x"));
        log.RemoveRange(0, 2); // the log only remembers version 3

        Assert.True(RouteTable.ChangesSince(state, log, 1).IsFull);
        Assert.False(RouteTable.ChangesSince(state, log, 2).IsFull);
    }

    [Fact]
    public void ChangesSince_AheadOfTheTable_FullSnapshot()
    {
        // An edge that saw a version this table never reached (the table was rebuilt): resync.
        var (state, log) = Table(App("a", "a.x"));

        Assert.True(RouteTable.ChangesSince(state, log, 99).IsFull);
    }

    [Fact]
    public void Conflict_HostHeldByAnotherApp_NamesIt()
    {
        var holder = App("a", "shared.x");
        var (state, _) = Table(holder);

        var conflict = RouteTable.Conflict(state, HostIndex.Of(state.Apps.Values), Guid.NewGuid(), ["free.x", "shared.x"]);

        Assert.Equal(("shared.x", holder), conflict);
    }

    [Fact]
    public void Conflict_HostHeldBySameApp_None()
    {
        var holder = App("a", "shared.x");
        var (state, _) = Table(holder);

        Assert.Null(RouteTable.Conflict(state, HostIndex.Of(state.Apps.Values), holder.AppId, ["shared.x"]));
    }

    [Fact]
    public void TakenMessage_HostAndHolder_SameWordingAsBeforeSharding()
    {
        // The API's 409 detail and the CLI show this text; scripts may match on it.
        Assert.Equal("the host www.shop.example is already taken: pick another host name",
            RouteTable.TakenMessage("www.shop.example", App("shop", "www.shop.example")));
    }

    [Theory]
    [InlineData("Web.Example.COM.", "web.example.com")]
    [InlineData(" a.localhost ", "a.localhost")]
    public void Normalize_Host_LowercaseWithoutTrailingDot(string host, string expected) =>
        Assert.Equal(expected, RouteTable.Normalize(host));

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    public void ChangesSince_AnyAnswer_CarriesTheTableEpoch(long since)
    {
        var (state, log) = Table(App("a", "a.x"), App("b", "b.x"));
        state.Epoch = 4242;

        Assert.Equal(4242, RouteTable.ChangesSince(state, log, since).Epoch);
    }
}
