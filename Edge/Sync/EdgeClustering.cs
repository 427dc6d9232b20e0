using System.Net;
using Orleans.Configuration;

namespace Granary.Edge.Sync;

/// <summary>
/// How the edge finds the cluster. With <c>Granary:Database</c> (or GRANARY_DATABASE) set, through the
/// PostgreSQL membership table like the silos; otherwise settings <c>Orleans:ClusterId</c>, <c>Orleans:GatewayPort</c> (default 30000) and, for an edge on another
/// machine than its gateway silo, <c>Orleans:GatewayHost</c> (an IP or a DNS name; default loopback).
/// </summary>
public static class EdgeClustering
{
    public const string ServiceId = "granary";

    public static void Configure(IClientBuilder client, IConfiguration configuration)
    {
        var orleans = configuration.GetSection("Orleans");
        var clusterId = orleans["ClusterId"] ?? "granary";
        // With a database (as the silos have), gateways are found in the membership table: any live silo will do.
        var database = configuration["Granary:Database"] is { Length: > 0 } configured ? configured : Environment.GetEnvironmentVariable("GRANARY_DATABASE");
        if (!string.IsNullOrWhiteSpace(database))
        {
            client.UseAdoNetClustering(o =>
            {
                o.Invariant = "Npgsql";
                o.ConnectionString = database;
            });
            client.Configure<ClusterOptions>(o =>
            {
                o.ClusterId = clusterId;
                o.ServiceId = ServiceId;
            });
            return;
        }

        var port = orleans.GetValue("GatewayPort", 30000);
        var host = orleans["GatewayHost"];
        if (string.IsNullOrWhiteSpace(host) || host is "localhost" || (IPAddress.TryParse(host, out var ip) && IPAddress.IsLoopback(ip)))
        {
            client.UseLocalhostClustering(port, serviceId: ServiceId, clusterId: clusterId);
            return;
        }

        var address = IPAddress.TryParse(host, out var parsed) ? parsed : Dns.GetHostAddresses(host)[0];
        client.UseStaticClustering(new IPEndPoint(address, port));
        client.Configure<ClusterOptions>(o =>
        {
            o.ClusterId = clusterId;
            o.ServiceId = ServiceId;
        });
    }
}
