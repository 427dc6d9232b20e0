using System.Net;
using Orleans.Configuration;
using Granary.Silo.Staging;
using Orleans.Providers;

namespace Granary.Silo.Persistence;

/// <summary>
/// A silo whose cluster membership, grain state (Granary's and the stream pub/sub's) and reminders live in
/// PostgreSQL through the Orleans ADO.NET providers, on the schema in deploy/sql.
/// </summary>
public static class PostgresSilo
{
    /// <summary>The same service id as the in-memory mode: it keys every row of state and reminders.</summary>
    public const string ServiceId = "granary";

    public static ISiloBuilder UseGranaryPostgres(this ISiloBuilder silo, DatabaseSettings database, IConfiguration configuration,
        string clusterId, int siloPort, int gatewayPort)
    {
        silo.Services.AddSingleton(database);
        silo.Services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>, SchemaMigrationParticipant>();
        // Droplets and packages where every node can fetch them. This runs after AddGranaryStaging registered the
        // file-system droplet store, which stays as each node's cache; the last IDropletStore registered wins.
        silo.Services.AddSingleton<ISharedBlobStore, PostgresBlobStore>();
        silo.Services.AddSingleton<FileSystemDropletStore>();
        silo.Services.AddSingleton<IDropletStore, SharedDropletStore>();

        // Loopback unless told otherwise: the micro cloud. A cluster node advertises the address its peers reach.
        var advertised = IPAddress.Parse(configuration["Orleans:AdvertisedIP"] ?? "127.0.0.1");
        silo.ConfigureEndpoints(advertised, siloPort, gatewayPort, listenOnAnyHostAddress: !IPAddress.IsLoopback(advertised));
        silo.Configure<ClusterOptions>(o =>
        {
            o.ClusterId = clusterId;
            o.ServiceId = ServiceId;
        });
        silo.UseAdoNetClustering(o =>
        {
            o.Invariant = DatabaseSettings.Invariant;
            o.ConnectionString = database.ConnectionString;
        });
        var tuning = MembershipTuning.From(configuration);
        silo.Configure<ClusterMembershipOptions>(tuning.ApplyTo);
        silo.Configure<GrainDirectoryOptions>(tuning.ApplyTo);

        silo.AddAdoNetGrainStorage(GrainStorage.Name, o =>
        {
            o.Invariant = DatabaseSettings.Invariant;
            o.ConnectionString = database.ConnectionString;
        });
        // Orleans' own stream bookkeeping is written with Orleans' serializer: its internal types have no
        // constructors System.Text.Json can bind, so the Granary JSON serializer could write them but not
        // read them back, and a rendezvous grain moved to another silo (its silo died) would fail forever.
        silo.AddAdoNetGrainStorage(ProviderConstants.DEFAULT_PUBSUB_PROVIDER_NAME, (Microsoft.Extensions.Options.OptionsBuilder<AdoNetGrainStorageOptions> options) => options.Configure<Orleans.Serialization.Serializer>((o, serializer) =>
        {
            o.Invariant = DatabaseSettings.Invariant;
            o.ConnectionString = database.ConnectionString;
            o.GrainStorageSerializer = new Orleans.Storage.OrleansGrainStorageSerializer(serializer);
        }));

        silo.AddIncomingGrainCallFilter<DeactivateOnStorageFailure>();
        silo.Services.Configure<Orleans.Serialization.ExceptionSerializationOptions>(DatabaseOutage.CrossSilos);
        silo.UseAdoNetReminderService(o =>
        {
            o.Invariant = DatabaseSettings.Invariant;
            o.ConnectionString = database.ConnectionString;
        });
        return silo;
    }
}
