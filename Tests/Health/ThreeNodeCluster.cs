using System.Collections.Concurrent;
using Granary.Cluster;
using Granary.Health;
using Granary.Instances;
using Granary.Nodes;
using Granary.Staging;
using Granary.Tests.Cluster;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Configuration;
using Orleans.Runtime.MembershipService.SiloMetadata;
using Orleans.Storage;
using Orleans.TestingHost;

namespace Granary.Tests.Health;

/// <summary>
/// Three in-process silos, each a DEA node (node-silo-0/1/2, 2000 MB each) with a fake process runtime,
/// the real health manager on short intervals, and storage that survives a killed silo.
/// </summary>
public sealed class ThreeNodeCluster : IAsyncLifetime
{
    private readonly ConcurrentDictionary<string, (string ETag, object State)> _storage = new();

    public InProcessTestCluster Cluster { get; private set; } = null!;

    public static readonly string[] Nodes = ["node-silo-0", "node-silo-1", "node-silo-2"];

    public async Task InitializeAsync()
    {
        var builder = new InProcessTestClusterBuilder(3);
        builder.ConfigureSilo((silo, siloBuilder) =>
        {
            var node = TwoNodeCluster.NodeOf(silo.SiloName);
            siloBuilder.UseGranaryStateSerializer();
            siloBuilder.Services.AddKeyedSingleton<IGrainStorage>(GrainStorage.Name,
                (sp, _) => new DurableTestStorage(_storage, sp.GetRequiredService<Orleans.Serialization.Serializer>()));
            siloBuilder.AddMemoryGrainStorage("PubSubStore");
            siloBuilder.AddGranaryStreams();
            siloBuilder.UseSiloMetadata(new Dictionary<string, string>
            {
                [SiloRoles.NodeKey] = node,
                [SiloRoles.RolesKey] = "primary,controller,dea,stager",
            });
            siloBuilder.Services.AddGranaryPlacement();
            siloBuilder.AddGranaryDirectory();
            siloBuilder.Configure<GrainDirectoryOptions>(new Granary.Silo.Persistence.MembershipTuning().ApplyTo);
            siloBuilder.Services.AddSingleton(TimeProvider.System);
            siloBuilder.Services.AddOptions<GranaryGrainOptions>();
            siloBuilder.Services.Configure<HealthOptions>(o =>
            {
                o.HeartbeatInterval = TimeSpan.FromMilliseconds(500);
                o.ConvergeInterval = TimeSpan.FromMilliseconds(250);
                o.SweepInterval = TimeSpan.FromSeconds(2);
                o.Grace = TimeSpan.FromSeconds(2);
                o.ActionCooldown = TimeSpan.FromSeconds(2);
            });
            siloBuilder.Services.AddSingleton<IInstanceReportSink, GrainInstanceReportSink>();
            siloBuilder.Services.AddSingleton<FakeNodeRuntime>(sp => new FakeNodeRuntime(2000, sp.GetRequiredService<IInstanceReportSink>()));
            siloBuilder.Services.AddSingleton<IInstanceRuntime>(sp => sp.GetRequiredService<FakeNodeRuntime>());
            siloBuilder.Services.AddSingleton<IStagingRuntime, TwoNodeCluster.InstantStager>();
            siloBuilder.Services.AddSingleton<Granary.Logs.ILogEmitter, TwoNodeCluster.NoLogs>();
        });
        Cluster = builder.Build();
        await Cluster.DeployAsync();
        foreach (var node in Nodes)
        {
            await Cluster.Client.GetGrain<IDeaNodeGrain>(node).Announce();
        }
    }

    /// <summary>The fake runtime of a node, to make its "processes" crash.</summary>
    public FakeNodeRuntime RuntimeOf(string nodeId) =>
        Cluster.GetActiveSilos().Select(s => (InProcessSiloHandle)s)
            .Single(s => TwoNodeCluster.NodeOf(s.Name) == nodeId)
            .ServiceProvider.GetRequiredService<FakeNodeRuntime>();

    public InProcessSiloHandle SiloOf(string nodeId) =>
        Cluster.GetActiveSilos().Select(s => (InProcessSiloHandle)s).Single(s => TwoNodeCluster.NodeOf(s.Name) == nodeId);

    public async Task DisposeAsync() => await Cluster.DisposeAsync();
}
