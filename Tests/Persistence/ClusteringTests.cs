using Granary.Apps;
using System.Collections.Immutable;

namespace Granary.Tests.Persistence;

/// <summary>Orleans ADO.NET membership on Granary's SQL: silos find each other through PostgreSQL.</summary>
public sealed class ClusteringTests
{
    [Fact]
    public async Task TwoSilos_OnGranarySchema_BothActiveAndServingGrains()
    {
        var db = await PersistenceDatabase.CreateMigratedAsync("membership");
        var clusterId = "members-" + Guid.NewGuid().ToString("N")[..8];
        var cluster = await PostgresTestCluster.StartAsync(db, 2, clusterId);
        try
        {
            var active = await PersistenceDatabase.ScalarAsync<long>(db,
                $"SELECT count(*) FROM OrleansMembershipTable WHERE DeploymentId = '{clusterId}' AND Status = 3");
            Assert.Equal(2, active);

            // The client found its gateways through GatewaysQueryKey, and grains answer.
            var app = await cluster.Client.GetGrain<ISpaceGrain>("members").CreateApp(Spec("member-app"));
            Assert.Equal("member-app", app.Spec.Name);
        }
        finally
        {
            await cluster.DisposeAsync();
        }
    }

    [Fact]
    public async Task StoppedSilo_LeavesTheCluster_RowMarkedDead()
    {
        var db = await PersistenceDatabase.CreateMigratedAsync("membership");
        var clusterId = "members-" + Guid.NewGuid().ToString("N")[..8];
        var cluster = await PostgresTestCluster.StartAsync(db, 2, clusterId);
        try
        {
            await cluster.StopSiloAsync(cluster.Silos[1]);

            var statuses = await PersistenceDatabase.ScalarAsync<string>(db,
                $"SELECT string_agg(Status::text, ',' ORDER BY Status) FROM OrleansMembershipTable WHERE DeploymentId = '{clusterId}'");
            Assert.Equal("3,6", statuses); // one Active, one Dead
        }
        finally
        {
            await cluster.DisposeAsync();
        }
    }

    internal static AppSpec Spec(string name, ImmutableDictionary<string, string>? env = null) =>
        new(name, 1, 128, env ?? ImmutableDictionary<string, string>.Empty, "node server.js", HealthCheckSpec.Default, AppState.Stopped);
}
