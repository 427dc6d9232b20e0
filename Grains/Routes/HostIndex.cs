namespace Granary.Routes;

/// <summary>
/// Which app holds each host name, so that a conflict check or a lookup costs the hosts asked about instead of a
/// scan of every app in the table. The route table grain rebuilds it on activation and moves it in step with
/// every change it applies. Host names are expected normalized (<see cref="RouteTable.Normalize"/>).
/// </summary>
public sealed class HostIndex
{
    private readonly Dictionary<string, Guid> _holders = new(StringComparer.Ordinal);

    public int Count => _holders.Count;

    public static HostIndex Of(IEnumerable<AppRoutes> apps)
    {
        var index = new HostIndex();
        foreach (var app in apps)
        {
            index.Replace(null, app);
        }

        return index;
    }

    public Guid? Find(string host) => _holders.TryGetValue(host, out var holder) ? holder : null;

    /// <summary>The first of <paramref name="hosts"/> held by an app other than <paramref name="appId"/>, and that app.</summary>
    public (string Host, Guid Holder)? Conflict(Guid appId, IEnumerable<string> hosts)
    {
        foreach (var host in hosts)
        {
            if (_holders.TryGetValue(host, out var holder) && holder != appId)
            {
                return (host, holder);
            }
        }

        return null;
    }

    /// <summary>
    /// Moves the index from an app's old entry to its new one (null: the app was absent, or is removed).
    /// Only hosts the old entry actually held are released, so another app's host is never dropped by mistake.
    /// </summary>
    public void Replace(AppRoutes? before, AppRoutes? after)
    {
        if (before is not null)
        {
            foreach (var host in before.Hosts)
            {
                if (_holders.TryGetValue(host, out var holder) && holder == before.AppId)
                {
                    _holders.Remove(host);
                }
            }
        }

        if (after is not null)
        {
            foreach (var host in after.Hosts)
            {
                // The grain refuses a host another app holds, so a stored table never maps one host twice; should an
                // old one do so anyway, the first holder keeps it rather than the index flipping with load order.
                _holders.TryAdd(host, after.AppId);
            }
        }
    }
}
