using Granary.Cluster;
using Orleans.Configuration;
using Orleans.Dashboard;
using Orleans.Runtime.MembershipService.SiloMetadata;

namespace Granary.Silo.Hosting;

/// <summary>The Orleans silo of a Granary node: clustering, storage, streams, placement by role and node.</summary>
public static class OrleansSetup
{
    public static void ConfigureGranarySilo(this ISiloBuilder silo, IConfiguration configuration, NodeSettings node)
    {
        var orleans = configuration.GetSection("Orleans");
        var clusterId = orleans["ClusterId"] ?? "granary";
        // One machine for now: the cluster issue moves membership to PostgreSQL (ADO.NET clustering).
        silo.UseLocalhostClustering(
            siloPort: orleans.GetValue("SiloPort", 11111),
            gatewayPort: orleans.GetValue("GatewayPort", 30000),
            serviceId: "granary",
            clusterId: clusterId);
        silo.Configure<GrainCollectionOptions>(o => o.CollectionAge = TimeSpan.FromHours(2));

        silo.UseGranaryStateSerializer();
        silo.AddMemoryGrainStorage(GrainStorage.Name);
        silo.AddMemoryGrainStorage("PubSubStore");
        silo.AddMemoryStreams("granary");

        silo.UseSiloMetadata(new Dictionary<string, string>
        {
            [SiloRoles.NodeKey] = node.NodeId,
            [SiloRoles.RolesKey] = node.Roles,
        });
        silo.Services.AddPlacementDirector<NodePinnedPlacement, NodePinnedPlacementDirector>();
        silo.Services.AddPlacementDirector<StagerPlacement, StagerPlacementDirector>();

        silo.AddActivityPropagation();
        silo.AddDashboard();
    }
}
