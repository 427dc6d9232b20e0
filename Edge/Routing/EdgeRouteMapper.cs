using System.Collections.Immutable;
using Granary.Routes;

namespace Granary.Edge.Routing;

/// <summary>Routes built from a route table, plus what had to be left out and why.</summary>
public sealed record EdgeRouteMap(EdgeRoutes Routes, IReadOnlyList<string> Warnings);

/// <summary>
/// Maps a route table to the edge's routes (pure, but for carrying each instance's runtime state over).
/// <see cref="Build"/> maps a whole table; <see cref="Apply"/> maps only the apps a delta changed, so an update
/// at 100k routes costs what changed. Both give the same routes for the same table. Invalid hosts and backends
/// are left out with a warning rather than refusing the table, so one bad entry never freezes routing for all.
/// A host claimed by two apps goes to the lower app id, whatever order the apps come in.
/// </summary>
public static class EdgeRouteMapper
{
    public static EdgeRouteMap Build(RouteTable table, EdgeRoutes? previous = null)
    {
        ArgumentNullException.ThrowIfNull(table);
        var warnings = new List<string>();
        var apps = new Dictionary<Guid, AppRoute>(table.Apps.Count);
        var owners = new Dictionary<string, Guid>(table.Apps.Count, StringComparer.Ordinal);
        var contested = new Dictionary<string, ImmutableSortedSet<Guid>>(StringComparer.Ordinal);
        foreach (var entry in table.Apps.Values)
        {
            var app = MapApp(entry, previous?.Apps.GetValueOrDefault(entry.AppId), warnings);
            apps[app.AppId] = app;
            foreach (var host in app.Hosts)
            {
                if (owners.TryAdd(host, app.AppId))
                {
                    continue;
                }

                var claimants = (contested.GetValueOrDefault(host) ?? [owners[host]]).Add(app.AppId);
                contested[host] = claimants;
                owners[host] = claimants.Min;
            }
        }

        var hosts = new List<KeyValuePair<string, AppRoute>>(owners.Count);
        foreach (var (host, owner) in owners)
        {
            hosts.Add(new(host, apps[owner]));
        }

        var routes = new EdgeRoutes(table, HostMap.Create(hosts), LayeredMap<Guid, AppRoute>.Create(apps), EdgeRoutes.Empty.Contested.AddRange(contested));
        WarnAboutHosts(routes, routes.Apps.Keys, warnings);
        return new EdgeRouteMap(routes, warnings);
    }

    /// <summary>
    /// The routes for <paramref name="table"/>, made from <paramref name="current"/> by re-mapping only the apps in
    /// <paramref name="changed"/> (changed or removed since <paramref name="current"/>'s table).
    /// </summary>
    public static EdgeRouteMap Apply(EdgeRoutes current, RouteTable table, IEnumerable<Guid> changed)
    {
        ArgumentNullException.ThrowIfNull(current);
        ArgumentNullException.ThrowIfNull(table);
        var warnings = new List<string>();
        var update = new Update(current);
        var touched = new HashSet<Guid>(changed);
        foreach (var appId in touched)
        {
            var old = current.Apps.GetValueOrDefault(appId);
            var app = table.Apps.TryGetValue(appId, out var entry) ? MapApp(entry, old, warnings) : null;
            update.Replace(appId, old, app);
        }

        var routes = new EdgeRoutes(table, current.Hosts.With(update.Hosts), current.Apps.With(update.Apps), update.Contested.ToImmutable());
        WarnAboutHosts(routes, touched, warnings);
        return new EdgeRouteMap(routes, warnings);
    }

    private static AppRoute MapApp(AppRoutes entry, AppRoute? previous, List<string> warnings)
    {
        var name = entry.AppName ?? "";
        var hosts = ImmutableArray.CreateBuilder<string>();
        foreach (var raw in entry.Hosts.IsDefault ? [] : entry.Hosts)
        {
            if (HostNames.Normalize(raw) is not { } host)
            {
                warnings.Add($"app {name} ({entry.AppId}): host '{raw}' is not a valid host name");
            }
            else if (!hosts.Contains(host))
            {
                hosts.Add(host);
            }
        }

        var backends = new List<Backend>();
        foreach (var backend in entry.Backends.IsDefault ? [] : entry.Backends)
        {
            if (backend is null)
            {
                continue;
            }

            if (BackendAddress.Prefix(backend.Host, backend.Port) is not { } prefix)
            {
                warnings.Add($"app {name}: instance {backend.Index} has an invalid address '{backend.Host}:{backend.Port}'");
            }
            else if (backends.Exists(b => b.InstanceId == backend.InstanceId))
            {
                warnings.Add($"app {name}: instance {backend.InstanceId} is listed twice");
            }
            else
            {
                // The same instance at the same address keeps its state: requests in flight, passive health.
                var kept = Array.Find(previous?.Backends ?? [], b => b.InstanceId == backend.InstanceId && b.Prefix == prefix && b.Index == backend.Index);
                backends.Add(kept ?? new Backend(backend.InstanceId, backend.Index, prefix));
            }
        }

        backends.Sort(static (a, b) => a.Index != b.Index ? a.Index.CompareTo(b.Index) : a.InstanceId.CompareTo(b.InstanceId));
        return new AppRoute(entry.AppId, name, entry.Policy ?? RoutePolicy.Default, hosts.ToImmutable(), [.. backends]);
    }

    private static void WarnAboutHosts(EdgeRoutes routes, IEnumerable<Guid> appIds, List<string> warnings)
    {
        foreach (var appId in appIds)
        {
            if (!routes.Apps.TryGetValue(appId, out var app))
            {
                continue;
            }

            var held = 0;
            foreach (var host in app.Hosts)
            {
                if (routes.Contested.TryGetValue(host, out var claimants))
                {
                    warnings.Add($"host {host} is claimed by apps {string.Join(", ", claimants)}; {claimants.Min} keeps it");
                }

                held += routes.Hosts.TryGetValue(host, out var holder) && holder.AppId == appId ? 1 : 0;
            }

            if (held == 0)
            {
                warnings.Add($"app {app.Name} ({app.AppId}) has no usable host name, so no route");
            }
        }
    }

    /// <summary>The pending changes of one <see cref="Apply"/>: host claims resolved as each app is replaced.</summary>
    private sealed class Update(EdgeRoutes current)
    {
        private readonly Dictionary<string, AppRoute?> _hosts = new(StringComparer.Ordinal);
        private readonly Dictionary<Guid, AppRoute?> _apps = [];

        /// <summary>Apps replaced (or removed: null) so far.</summary>
        public IReadOnlyCollection<KeyValuePair<Guid, AppRoute?>> Apps => _apps;

        public ImmutableDictionary<string, ImmutableSortedSet<Guid>>.Builder Contested { get; } = current.Contested.ToBuilder();

        public IReadOnlyCollection<KeyValuePair<string, AppRoute?>> Hosts => _hosts;

        public void Replace(Guid appId, AppRoute? old, AppRoute? app)
        {
            _apps[appId] = app;

            var oldHosts = old?.Hosts ?? [];
            var newHosts = app?.Hosts ?? [];
            foreach (var host in oldHosts)
            {
                if (!newHosts.Contains(host))
                {
                    Unclaim(host, appId);
                }
            }

            foreach (var host in newHosts)
            {
                if (!oldHosts.Contains(host))
                {
                    Claim(host, app!);
                }
                else if (Owner(host) == appId)
                {
                    // Same host, new app object (its instances changed): point the host at it.
                    _hosts[host] = app;
                }
            }
        }

        private AppRoute? AppOf(Guid appId) => _apps.TryGetValue(appId, out var pending) ? pending : current.Apps.GetValueOrDefault(appId);

        private Guid? Owner(string host) =>
            _hosts.TryGetValue(host, out var pending) ? pending?.AppId
            : current.Hosts.TryGetValue(host, out var held) ? held.AppId : null;

        private void Claim(string host, AppRoute app)
        {
            if (Owner(host) is not { } owner || owner == app.AppId)
            {
                _hosts[host] = app;
                return;
            }

            var claimants = (Contested.GetValueOrDefault(host) ?? [owner]).Add(app.AppId);
            Contested[host] = claimants;
            _hosts[host] = AppOf(claimants.Min);
        }

        private void Unclaim(string host, Guid appId)
        {
            if (Contested.TryGetValue(host, out var claimants))
            {
                claimants = claimants.Remove(appId);
                if (claimants.Count <= 1)
                {
                    Contested.Remove(host);
                }
                else
                {
                    Contested[host] = claimants;
                }

                _hosts[host] = claimants.Count == 0 ? null : AppOf(claimants.Min);
            }
            else if (Owner(host) == appId)
            {
                _hosts[host] = null;
            }
        }
    }
}
