using Granary.Cluster;
using Granary.Instances;
using Granary.Nodes;
using Granary.Staging;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Runtime.MembershipService.SiloMetadata;
using Orleans.TestingHost;

namespace Granary.Tests.Cluster;

/// <summary>Two in-process silos, each a DEA node of its own (node-silo-0: 1000 MB, node-silo-1: 2000 MB).</summary>
public sealed class TwoNodeCluster : IAsyncLifetime
{
    public InProcessTestCluster Cluster { get; private set; } = null!;

    public static string NodeOf(string siloName) => "node-" + siloName.ToLowerInvariant().Replace('_', '-');

    public async Task InitializeAsync()
    {
        var builder = new InProcessTestClusterBuilder(2);
        builder.ConfigureSilo((silo, siloBuilder) =>
        {
            var node = NodeOf(silo.SiloName);
            siloBuilder.UseGranaryStateSerializer();
            siloBuilder.AddMemoryGrainStorage(GrainStorage.Name);
            siloBuilder.UseSiloMetadata(new Dictionary<string, string>
            {
                [SiloRoles.NodeKey] = node,
                [SiloRoles.RolesKey] = "primary,controller,dea,stager",
            });
            siloBuilder.Services.AddGranaryPlacement();
            siloBuilder.AddGranaryDirectory();
            siloBuilder.Services.AddSingleton(TimeProvider.System);
            siloBuilder.Services.AddOptions<GranaryGrainOptions>();
            siloBuilder.Services.AddOptions<Granary.Health.HealthOptions>();
            siloBuilder.AddGranaryStreams();
            siloBuilder.AddMemoryGrainStorage("PubSubStore");
            siloBuilder.Services.AddSingleton<IInstanceReportSink, GrainInstanceReportSink>();
            siloBuilder.Services.AddSingleton<IInstanceRuntime>(sp =>
                new FakeNodeRuntime(node == "node-silo-0" ? 1000 : 2000, sp.GetRequiredService<IInstanceReportSink>()));
            siloBuilder.Services.AddSingleton<IStagingRuntime, InstantStager>();
            siloBuilder.Services.AddSingleton<Granary.Logs.ILogEmitter, NoLogs>();
        });
        Cluster = builder.Build();
        await Cluster.DeployAsync();
    }

    public async Task DisposeAsync() => await Cluster.DisposeAsync();

    internal sealed class NoLogs : Granary.Logs.ILogEmitter
    {
        public void Emit(Guid appId, string source, Granary.Logs.LogStream stream, string text) { }
    }

    /// <summary>Stages nothing: every build succeeds at once with a fixed droplet.</summary>
    internal sealed class InstantStager : IStagingRuntime
    {
        public Task<StagingOutcome> StageAsync(StagingJob job, CancellationToken cancellationToken) =>
            Task.FromResult(new StagingOutcome(job.BuildId,
                new DropletRef("d-" + job.PackageId, "node", "node server.js", 1, DateTimeOffset.UtcNow), null));
    }
}
