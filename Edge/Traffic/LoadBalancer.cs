using Granary.Edge.Routing;
using Granary.Routes;

namespace Granary.Edge.Traffic;

/// <summary>Which instance gets a request (pure: the inputs are the candidates, their load and the app's turn).</summary>
public static class LoadBalancer
{
    /// <summary>
    /// Round robin takes the candidate of this turn. Least requests takes the one with the fewest requests in
    /// flight, searching from the turn's candidate so ties (an idle app) still rotate instead of piling on the first.
    /// </summary>
    public static Backend Choose(ReadOnlySpan<Backend> candidates, LoadBalancing policy, uint turn)
    {
        if (candidates.IsEmpty)
        {
            throw new ArgumentException("no candidates", nameof(candidates));
        }

        var start = (int)(turn % (uint)candidates.Length);
        if (policy != LoadBalancing.LeastRequests)
        {
            return candidates[start];
        }

        var best = candidates[start];
        for (var i = 1; i < candidates.Length; i++)
        {
            var candidate = candidates[(start + i) % candidates.Length];
            if (candidate.InFlight < best.InFlight)
            {
                best = candidate;
            }
        }

        return best;
    }

    /// <summary>The candidate the affinity cookie names, if it is one of them.</summary>
    public static Backend? ByAffinity(ReadOnlySpan<Backend> candidates, string? cookie)
    {
        if (string.IsNullOrEmpty(cookie))
        {
            return null;
        }

        foreach (var candidate in candidates)
        {
            if (string.Equals(candidate.AffinityKey, cookie, StringComparison.Ordinal))
            {
                return candidate;
            }
        }

        return null;
    }

    /// <summary>
    /// The instances a request may go to: those not ejected by passive health and not already tried; if health
    /// ejected every untried one, all untried ones (better a likely failure than a certain one). Allocates only
    /// when something is left out.
    /// </summary>
    public static Backend[] Candidates(Backend[] backends, ReadOnlySpan<Backend> tried, long now)
    {
        var healthy = 0;
        var untried = 0;
        foreach (var backend in backends)
        {
            if (!Holds(tried, backend))
            {
                untried++;
                healthy += backend.Health.IsEjected(now) ? 0 : 1;
            }
        }

        if (untried == backends.Length && (healthy == untried || healthy == 0))
        {
            return backends;
        }

        var result = new Backend[healthy > 0 ? healthy : untried];
        var n = 0;
        foreach (var backend in backends)
        {
            if (!Holds(tried, backend) && (healthy == 0 || !backend.Health.IsEjected(now)))
            {
                result[n++] = backend;
            }
        }

        return result;
    }

    private static bool Holds(ReadOnlySpan<Backend> backends, Backend backend)
    {
        foreach (var b in backends)
        {
            if (ReferenceEquals(b, backend))
            {
                return true;
            }
        }

        return false;
    }
}
