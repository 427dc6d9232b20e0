using Orleans.Runtime;
using Orleans.Streams;

namespace Granary.Cluster;

/// <summary>Which silo pulls which stream queue (pure): every silo computes it alike from the same membership.</summary>
public static class StreamQueueOwners
{
    /// <summary>
    /// The queues <paramref name="self"/> pulls: queues in order, dealt round-robin over the active controllers
    /// in address order. With no active controller, over every active silo, so events still flow in a cluster
    /// that lost its controllers (placement does the same). A silo that is not active pulls nothing.
    /// </summary>
    public static IReadOnlyList<QueueId> Of(SiloAddress self, IEnumerable<QueueId> queues, IEnumerable<SiloAddress> active,
        Func<SiloAddress, bool> isController)
    {
        var silos = active.OrderBy(s => s.ToParsableString(), StringComparer.Ordinal).ToArray();
        var owners = silos.Where(isController).ToArray() is { Length: > 0 } controllers ? controllers : silos;
        var position = Array.IndexOf(owners, self);
        if (position < 0)
        {
            return [];
        }

        return queues.OrderBy(q => q.ToString(), StringComparer.Ordinal)
            .Where((_, index) => index % owners.Length == position)
            .ToArray();
    }
}
