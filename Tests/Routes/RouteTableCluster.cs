using System.Collections.Concurrent;
using Granary.Routes;
using Granary.Tests.Health;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Core.Internal;
using Orleans.Storage;
using Orleans.TestingHost;

namespace Granary.Tests.Routes;

/// <summary>
/// One in-process silo whose grain storage outlives activations (<see cref="DurableTestStorage"/>) and records what
/// each grain reads and writes. Each test uses a route table grain of its own key: the grain does not care which.
/// </summary>
public sealed class RouteTableCluster : IAsyncLifetime
{
    private readonly ConcurrentDictionary<string, (string ETag, object State)> _rows = new();

    public InProcessTestCluster Cluster { get; private set; } = null!;

    public RecordingStorage Storage { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var builder = new InProcessTestClusterBuilder(1);
        builder.ConfigureSilo((_, silo) =>
        {
            silo.UseGranaryStateSerializer();
            silo.Services.AddSingleton(sp => new RecordingStorage(
                new DurableTestStorage(_rows, sp.GetRequiredService<Orleans.Serialization.Serializer>())));
            silo.Services.AddKeyedSingleton<IGrainStorage>(GrainStorage.Name, (sp, _) => sp.GetRequiredService<RecordingStorage>());
            silo.Services.AddSingleton(TimeProvider.System);
        });
        Cluster = builder.Build();
        await Cluster.DeployAsync();
        Storage = ((InProcessSiloHandle)Cluster.Silos[0]).ServiceProvider.GetRequiredService<RecordingStorage>();
    }

    public async Task DisposeAsync() => await Cluster.DisposeAsync();

    /// <summary>A route table of its own for one test.</summary>
    public (IRouteTableGrain Grain, GrainId Id) NewTable()
    {
        var grain = Cluster.Client.GetGrain<IRouteTableGrain>("test-" + Guid.NewGuid().ToString("N"));
        return (grain, grain.GetGrainId());
    }

    /// <summary>Ends the grain's activation; the next call starts a new one, which loads the table from storage.</summary>
    public async Task ReactivateAsync(IRouteTableGrain grain)
    {
        var id = grain.GetGrainId();
        var headerReads = Storage.Reads(id).Count(n => n == RouteShards.HeaderStateName);
        await grain.Cast<IGrainManagementExtension>().DeactivateOnIdle();
        await grain.GetChangesSince(0);
        // Proof that a new activation loaded it, so no test passes on an activation that never went away.
        Assert.Equal(headerReads + 1, Storage.Reads(id).Count(n => n == RouteShards.HeaderStateName));
    }

    /// <summary>Reads a record of a grain straight from storage, as a new activation would.</summary>
    public async Task<T> ReadAsync<T>(GrainId id, string stateName) where T : new()
    {
        var record = new GrainState<T>(new T());
        await Storage.ReadStateAsync(stateName, id, record);
        return record.State ?? new T();
    }

    public async Task WriteAsync<T>(GrainId id, string stateName, T state)
    {
        var current = new GrainState<T>();
        await Storage.ReadStateAsync(stateName, id, current);
        await Storage.WriteStateAsync(stateName, id, new GrainState<T>(state) { ETag = current.ETag });
    }
}

[CollectionDefinition(Name)]
public sealed class RouteTableCollection : ICollectionFixture<RouteTableCluster>
{
    public const string Name = "route table cluster";
}
