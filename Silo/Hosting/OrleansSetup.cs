using Granary.Cluster;
using Granary.Silo.Persistence;
using Orleans.Configuration;
using Orleans.Dashboard;
using Orleans.Runtime.MembershipService.SiloMetadata;

namespace Granary.Silo.Hosting;

/// <summary>The Orleans silo of a Granary node: clustering, storage, streams, placement by role and node.</summary>
public static class OrleansSetup
{
    public static void ConfigureGranarySilo(this ISiloBuilder silo, IConfiguration configuration, NodeSettings node,
        Granary.Silo.Dea.Isolation.NodeIsolation isolation)
    {
        var orleans = configuration.GetSection("Orleans");
        var clusterId = orleans["ClusterId"] ?? "granary";
        var (siloPort, gatewayPort) = (orleans.GetValue("SiloPort", 11111), orleans.GetValue("GatewayPort", 30000));
        silo.Configure<GrainCollectionOptions>(o => o.CollectionAge = TimeSpan.FromHours(2));

        silo.UseGranaryStateSerializer();
        if (DatabaseSettings.From(configuration) is { } database)
        {
            // Membership, grain state and reminders in PostgreSQL: state survives restarts, nodes can join.
            silo.UseGranaryPostgres(database, configuration, clusterId, siloPort, gatewayPort);
        }
        else
        {
            // No database: one machine, state in memory (micro up --ephemeral, most tests).
            silo.UseLocalhostClustering(siloPort, gatewayPort, serviceId: PostgresSilo.ServiceId, clusterId: clusterId);
            silo.AddMemoryGrainStorage(GrainStorage.Name);
            silo.AddMemoryGrainStorage("PubSubStore");
        }

        silo.AddGranaryStreams();

        silo.UseSiloMetadata(new Dictionary<string, string>
        {
            [SiloRoles.NodeKey] = node.NodeId,
            [SiloRoles.RolesKey] = node.Roles,
            [SiloRoles.PidKey] = Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture),
            [SiloRoles.VersionKey] = Granary.Silo.Apis.InfoApi.Version,
            [SiloRoles.IsolationKey] = node.Has(SiloRoles.Dea) ? isolation.Level : "",
        });
        silo.Services.AddGranaryPlacement();
        silo.AddGranaryDirectory();

        silo.AddActivityPropagation();
        silo.AddDashboard();
    }
}
