using System.Collections.Immutable;
using Granary.Routes;

namespace Granary.Edge.Routing;

/// <summary>
/// One app as a request meets it: name, policy and RUNNING instances. Immutable but for the round-robin turn;
/// a route change makes a new one (with the same <see cref="Backend"/> objects for instances that stayed).
/// </summary>
public sealed class AppRoute
{
    private uint _turn;

    public AppRoute(Guid appId, string name, RoutePolicy policy, ImmutableArray<string> hosts, Backend[] backends)
    {
        AppId = appId;
        Name = name;
        Policy = policy;
        Hosts = hosts;
        Backends = backends;
    }

    public Guid AppId { get; }

    public string Name { get; }

    public RoutePolicy Policy { get; }

    /// <summary>The valid, distinct host names the app claims (whether or not it won each of them).</summary>
    public ImmutableArray<string> Hosts { get; }

    /// <summary>Ordered by instance index, so round robin and the tests see a stable order.</summary>
    public Backend[] Backends { get; }

    /// <summary>The next round-robin turn; shared by the app's requests, wraps around harmlessly.</summary>
    public uint NextTurn() => Interlocked.Increment(ref _turn);

    public Backend? FindIndex(int index)
    {
        foreach (var backend in Backends)
        {
            if (backend.Index == index)
            {
                return backend;
            }
        }

        return null;
    }
}
