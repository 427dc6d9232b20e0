using System.Collections.Immutable;
using System.Text.Json;
using Granary.Apps;
using Granary.Instances;
using Granary.Routes;
using Granary.Staging;

namespace Granary.Tests.Storage;

/// <summary>Every stored state survives a write and a read with the options the silo uses.</summary>
public sealed class StateJsonTests
{
    internal static readonly JsonSerializerOptions Options = CreateOptions();

    private static JsonSerializerOptions CreateOptions()
    {
        var options = new JsonSerializerOptions();
        GrainStorage.ConfigureJson(options);
        return options;
    }

    internal static T RoundTrip<T>(T value) => JsonSerializer.Deserialize<T>(JsonSerializer.Serialize(value, Options), Options)!;

    [Fact]
    public void AppGrainState_Full_RoundTrips()
    {
        var now = DateTimeOffset.Parse("2026-11-23T10:00:00Z");
        var spec = new AppSpec("web", 2, 256, ImmutableDictionary<string, string>.Empty.Add("K", "v"), "node a.js",
            new HealthCheckSpec(HealthCheckType.Http, "/health", 30), AppState.Started);
        var state = new AppGrainState
        {
            App = new AppDetails(Guid.NewGuid(), "default", spec, 3, new DropletRef("h", "node", "npm start", 10, now),
                new StagingStatus(StagingState.Staged, "b1", "p1", null, now, now), now, now)
            {
                Routes = ["web.localhost", "www.example.com"],
                Policy = new RoutePolicy(LoadBalancing.LeastRequests, true),
            },
            Slots = [new InstanceSlot(0, Guid.NewGuid(), "micro", "h", 256)],
            Events = [new AppEvent(now, AppEventTypes.Created, "created", ImmutableDictionary<string, string>.Empty.Add("memoryMb", "256"))],
            StagedPackageId = "p1",
        };

        var back = RoundTrip(state);

        Assert.Equal(state.App.Spec, back.App!.Spec);
        Assert.Equal(state.App with { Routes = [] }, back.App with { Routes = [] });
        Assert.Equal(state.App.Routes.ToArray(), back.App.Routes.ToArray());
        Assert.Equal(state.App.Policy, back.App.Policy);
        Assert.Equal(state.App.Spec.Env, back.App.Spec.Env);
        Assert.Equal(state.Slots, back.Slots);
        Assert.Equal("256", back.Events.Single().Data["memoryMb"]);
        Assert.Equal("p1", back.StagedPackageId);
    }

    [Fact]
    public void RouteTableState_RoundTrips()
    {
        var app = new AppRoutes(Guid.NewGuid(), "web", ["web.localhost"], [new RouteBackend(Guid.NewGuid(), 0, "127.0.0.1", 4000)], RoutePolicy.Default);
        var state = new RouteTableState { Version = 7, Apps = { [app.AppId] = app } };

        var back = RoundTrip(state);

        Assert.Equal(7, back.Version);
        Assert.Equal(app.Backends.ToArray(), back.Apps[app.AppId].Backends.ToArray());
        Assert.Equal(app.Hosts.ToArray(), back.Apps[app.AppId].Hosts.ToArray());
    }

    [Fact]
    public void RouteShardStateAndHeader_RoundTrip()
    {
        var app = new AppRoutes(Guid.NewGuid(), "web", ["web.localhost"], [new RouteBackend(Guid.NewGuid(), 0, "127.0.0.1", 4000)],
            new RoutePolicy(LoadBalancing.LeastRequests, true));
        var shard = RoundTrip(new RouteShardState { Version = 12, Apps = [app] });
        var header = RoundTrip(new RouteTableHeader { Epoch = 4242, Shards = RouteShards.Count });

        Assert.Equal(12, shard.Version);
        Assert.True(RouteTable.Same(app, Assert.Single(shard.Apps)));
        Assert.Equal((4242L, RouteShards.Count), (header.Epoch, header.Shards));
    }

    [Fact]
    public void SpaceAndInstanceStates_RoundTrip()
    {
        var space = new SpaceState { Apps = { ["web"] = Guid.NewGuid() }, Deleted = [new("old", Guid.NewGuid())] };
        var info = new InstanceInfo(Guid.NewGuid(), Guid.NewGuid(), 1, InstanceState.Crashed, "micro", null, null,
            DateTimeOffset.UnixEpoch, 2, 137, "killed", "h");

        Assert.Equal(space.Apps, RoundTrip(space).Apps);
        Assert.Equal(space.Deleted, RoundTrip(space).Deleted);
        Assert.Equal(info, RoundTrip(new InstanceGrainState { Info = info }).Info);
    }

    [Fact]
    public void Enums_StoredByName()
    {
        var json = JsonSerializer.Serialize(new InstanceGrainState
        {
            Info = new InstanceInfo(Guid.Empty, Guid.Empty, 0, InstanceState.Running, "n", null, null, DateTimeOffset.UnixEpoch, 0, null, null, "h"),
        }, Options);

        Assert.Contains("\"Running\"", json);
    }
}
