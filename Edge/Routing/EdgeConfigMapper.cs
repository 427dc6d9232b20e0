using System.Buffers;
using System.Globalization;
using System.Net;
using Granary.Routes;
using Microsoft.AspNetCore.Http;
using Yarp.ReverseProxy.Configuration;
using Yarp.ReverseProxy.Forwarder;
using Yarp.ReverseProxy.Health;
using Yarp.ReverseProxy.LoadBalancing;
using Yarp.ReverseProxy.SessionAffinity;

namespace Granary.Edge.Routing;

/// <summary>YARP's view of a route table, plus what the mapper had to leave out and why.</summary>
public sealed record EdgeProxyConfigParts(
    IReadOnlyList<RouteConfig> Routes,
    IReadOnlyList<ClusterConfig> Clusters,
    IReadOnlyList<string> Warnings);

/// <summary>
/// Maps a route table to YARP routes and clusters (pure). One route per app matching its hosts, one
/// cluster per app (id = app id) with one destination per RUNNING instance (id = instance id), and a
/// low-priority catch-all for unknown hosts. Anything YARP would reject is left out with a warning, because
/// one invalid entry would make YARP refuse the whole config and freeze routing for every app.
/// </summary>
public static class EdgeConfigMapper
{
    public const string AffinityCookie = "granary_affinity";
    public const string CatchAllPath = "/{**catch-all}";

    /// <summary>After this, a destination ejected by passive health checks is tried again.</summary>
    public static readonly TimeSpan ReactivationPeriod = TimeSpan.FromSeconds(10);

    private const int UnknownHostOrder = 1_000_000;

    private static readonly SearchValues<char> HostChars = SearchValues.Create("abcdefghijklmnopqrstuvwxyz0123456789-._");

    private static readonly HealthCheckConfig PassiveHealth = new()
    {
        AvailableDestinationsPolicy = HealthCheckConstants.AvailableDestinations.HealthyOrPanic,
        Passive = new PassiveHealthCheckConfig
        {
            Enabled = true,
            Policy = HealthCheckConstants.PassivePolicy.TransportFailureRate,
            ReactivationPeriod = ReactivationPeriod,
        },
    };

    private static readonly SessionAffinityConfig Sticky = new()
    {
        Enabled = true,
        Policy = SessionAffinityConstants.Policies.HashCookie,
        FailurePolicy = SessionAffinityConstants.FailurePolicies.Redistribute,
        AffinityKeyName = AffinityCookie,
        Cookie = new SessionAffinityCookieConfig { HttpOnly = true, IsEssential = true, SameSite = SameSiteMode.Lax, Path = "/" },
    };

    // Instances speak HTTP/1.1; asking for it directly skips a version negotiation per connection.
    private static readonly ForwarderRequestConfig Request = new() { Version = HttpVersion.Version11, VersionPolicy = HttpVersionPolicy.RequestVersionOrLower };

    private static readonly RouteConfig UnknownHostRoute = new()
    {
        RouteId = EdgeMetadata.UnknownHostId,
        ClusterId = EdgeMetadata.UnknownHostId,
        Order = UnknownHostOrder,
        Match = new RouteMatch { Path = CatchAllPath },
        Metadata = new Dictionary<string, string> { [EdgeMetadata.Kind] = EdgeMetadata.UnknownHostRoute },
    };

    private static readonly ClusterConfig UnknownHostCluster = new()
    {
        ClusterId = EdgeMetadata.UnknownHostId,
        Destinations = new Dictionary<string, DestinationConfig>(),
    };

    public static EdgeProxyConfigParts Map(RouteTable table)
    {
        ArgumentNullException.ThrowIfNull(table);
        var warnings = new List<string>();
        var owners = HostOwners(table, warnings);
        var routes = new List<RouteConfig>(table.Apps.Count + 1);
        var clusters = new List<ClusterConfig>(table.Apps.Count + 1);
        foreach (var app in table.Apps.Values)
        {
            var id = app.AppId.ToString();
            var name = app.AppName ?? "";
            clusters.Add(Cluster(app, id, name, warnings));
            var hosts = OwnedHosts(app, owners);
            if (hosts.Count == 0)
            {
                warnings.Add($"app {name} ({id}) has no usable host name, so no route");
                continue;
            }

            routes.Add(new RouteConfig
            {
                RouteId = id,
                ClusterId = id,
                Match = new RouteMatch { Hosts = hosts, Path = CatchAllPath },
                Metadata = new Dictionary<string, string>
                {
                    [EdgeMetadata.Kind] = EdgeMetadata.AppRoute,
                    [EdgeMetadata.AppId] = id,
                    [EdgeMetadata.AppName] = name,
                },
            });
        }

        routes.Add(UnknownHostRoute);
        clusters.Add(UnknownHostCluster);
        return new EdgeProxyConfigParts(routes, clusters, warnings);
    }

    /// <summary>
    /// A host name as YARP should match it (lower case, no trailing dot), or null if it is not a DNS name
    /// (optionally with a leading <c>*.</c> wildcard). Punycode is refused by YARP, so it is left out too.
    /// </summary>
    public static string? NormalizeHost(string? host)
    {
        if (string.IsNullOrWhiteSpace(host))
        {
            return null;
        }

        var normalized = host.Trim().TrimEnd('.').ToLowerInvariant();
        var name = normalized.StartsWith("*.", StringComparison.Ordinal) ? normalized.AsSpan(2) : normalized.AsSpan();
        if (name.Length is 0 or > 253 || name.ContainsAnyExcept(HostChars) || name.Contains("..", StringComparison.Ordinal)
            || name[0] == '.' || name.Contains("xn--", StringComparison.Ordinal))
        {
            return null;
        }

        return normalized;
    }

    /// <summary>Each host goes to one app only: YARP would fail requests matching two routes equally.</summary>
    private static Dictionary<string, Guid> HostOwners(RouteTable table, List<string> warnings)
    {
        var owners = new Dictionary<string, Guid>(StringComparer.Ordinal);
        foreach (var app in table.Apps.Values)
        {
            foreach (var raw in app.Hosts.IsDefault ? [] : app.Hosts)
            {
                var host = NormalizeHost(raw);
                if (host is null)
                {
                    warnings.Add($"app {app.AppName} ({app.AppId}): host '{raw}' is not a valid host name");
                }
                else if (!owners.TryGetValue(host, out var owner))
                {
                    owners[host] = app.AppId;
                }
                else if (owner != app.AppId)
                {
                    // Deterministic whatever the enumeration order: the lower app id keeps the host.
                    owners[host] = owner.CompareTo(app.AppId) <= 0 ? owner : app.AppId;
                    warnings.Add($"host {host} is claimed by apps {owner} and {app.AppId}; {owners[host]} keeps it");
                }
            }
        }

        return owners;
    }

    private static List<string> OwnedHosts(AppRoutes app, Dictionary<string, Guid> owners)
    {
        var hosts = new List<string>(app.Hosts.IsDefault ? 0 : app.Hosts.Length);
        foreach (var raw in app.Hosts.IsDefault ? [] : app.Hosts)
        {
            if (NormalizeHost(raw) is { } host && owners.GetValueOrDefault(host) == app.AppId && !hosts.Contains(host))
            {
                hosts.Add(host);
            }
        }

        return hosts;
    }

    private static ClusterConfig Cluster(AppRoutes app, string id, string name, List<string> warnings)
    {
        var policy = app.Policy ?? RoutePolicy.Default;
        var destinations = new Dictionary<string, DestinationConfig>(StringComparer.OrdinalIgnoreCase);
        foreach (var backend in app.Backends.IsDefault ? [] : app.Backends)
        {
            if (backend is null)
            {
                continue;
            }

            var address = Address(backend);
            var destinationId = backend.InstanceId.ToString();
            if (address is null)
            {
                warnings.Add($"app {name}: instance {backend.Index} has an invalid address '{backend.Host}:{backend.Port}'");
            }
            else if (!destinations.TryAdd(destinationId, new DestinationConfig
            {
                Address = address,
                Metadata = new Dictionary<string, string> { [EdgeMetadata.InstanceIndex] = backend.Index.ToString(CultureInfo.InvariantCulture) },
            }))
            {
                warnings.Add($"app {name}: instance {destinationId} is listed twice");
            }
        }

        return new ClusterConfig
        {
            ClusterId = id,
            LoadBalancingPolicy = policy.LoadBalancing == LoadBalancing.LeastRequests ? LoadBalancingPolicies.LeastRequests : LoadBalancingPolicies.RoundRobin,
            SessionAffinity = policy.StickySessions ? Sticky : null,
            HealthCheck = PassiveHealth,
            HttpRequest = Request,
            Destinations = destinations,
            Metadata = new Dictionary<string, string> { [EdgeMetadata.AppId] = id, [EdgeMetadata.AppName] = name },
        };
    }

    private static string? Address(RouteBackend backend)
    {
        if (backend.Port is < 1 or > 65535 || string.IsNullOrWhiteSpace(backend.Host))
        {
            return null;
        }

        return Uri.CheckHostName(backend.Host) switch
        {
            UriHostNameType.IPv6 => $"http://[{backend.Host.Trim('[', ']')}]:{backend.Port}",
            UriHostNameType.IPv4 or UriHostNameType.Dns => $"http://{backend.Host}:{backend.Port}",
            _ => null,
        };
    }
}
