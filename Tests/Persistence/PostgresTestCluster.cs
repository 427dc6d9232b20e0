using Granary.Cluster;
using Granary.Instances;
using Granary.Logs;
using Granary.Nodes;
using Granary.Silo.Persistence;
using Granary.Staging;
using Granary.Tests.Cluster;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Runtime.MembershipService.SiloMetadata;
using Orleans.TestingHost;

namespace Granary.Tests.Persistence;

/// <summary>
/// In-process silos running Granary's grains on the real Orleans ADO.NET providers (membership, grain state,
/// pub/sub state, reminders) over Granary's schema in a real PostgreSQL database. The DEA runtime and stager
/// are fakes: these tests are about what is stored, not about processes.
/// </summary>
public static class PostgresTestCluster
{
    public static async Task<InProcessTestCluster> StartAsync(string connectionString, short silos, string clusterId)
    {
        var database = new DatabaseSettings(connectionString);
        var configuration = new ConfigurationBuilder().Build();
        var builder = new InProcessTestClusterBuilder(silos);
        UseRealMembership(builder.Options);
        builder.Options.ClusterId = clusterId;
        builder.Options.ServiceId = PostgresSilo.ServiceId;
        builder.ConfigureSilo((options, silo) =>
        {
            var node = "node-" + options.SiloName.ToLowerInvariant().Replace('_', '-');
            silo.UseGranaryStateSerializer();
            silo.UseGranaryPostgres(database, configuration, clusterId, options.SiloPort, options.GatewayPort);
            silo.UseSiloMetadata(new Dictionary<string, string>
            {
                [SiloRoles.NodeKey] = node,
                [SiloRoles.RolesKey] = "primary,controller,dea,stager",
            });
            silo.Services.AddGranaryPlacement();
            silo.AddGranaryDirectory();
            silo.Services.AddSingleton(TimeProvider.System);
            silo.Services.AddOptions<GranaryGrainOptions>();
            silo.Services.AddSingleton<IInstanceReportSink, GrainInstanceReportSink>();
            silo.Services.AddSingleton<IInstanceRuntime>(sp => new FakeNodeRuntime(4096, sp.GetRequiredService<IInstanceReportSink>()));
            silo.Services.AddSingleton<IStagingRuntime, InstantStager>();
            silo.Services.AddSingleton<ILogEmitter, NoLogs>();
        });
        builder.ConfigureClient(client => client.UseAdoNetClustering(o =>
        {
            o.Invariant = DatabaseSettings.Invariant;
            o.ConnectionString = connectionString;
        }));
        var cluster = builder.Build();
        await cluster.DeployAsync();
        return cluster;
    }

    /// <summary>
    /// The test cluster's in-memory membership would stand in for the provider under test; Orleans 10.4.2 keeps
    /// the switch that turns it off internal, so it is set by name (a rename fails this loudly, not silently).
    /// </summary>
    private static void UseRealMembership(InProcessTestClusterOptions options)
    {
        var property = typeof(InProcessTestClusterOptions).GetProperty("UseTestClusterMembership",
            System.Reflection.BindingFlags.Instance | System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.NonPublic)
            ?? throw new InvalidOperationException("InProcessTestClusterOptions.UseTestClusterMembership is gone: update PostgresTestCluster");
        property.SetValue(options, false);
    }

    private sealed class NoLogs : ILogEmitter
    {
        public void Emit(Guid appId, string source, LogStream stream, string text) { }
    }

    /// <summary>Every build succeeds at once with a droplet named after the package.</summary>
    private sealed class InstantStager : IStagingRuntime
    {
        public Task<StagingOutcome> StageAsync(StagingJob job, CancellationToken cancellationToken) =>
            Task.FromResult(new StagingOutcome(job.BuildId,
                new DropletRef("d-" + job.PackageId, "node", "node server.js", 1, DateTimeOffset.UtcNow), null));
    }
}
