using System.Globalization;
using System.Security.Cryptography;
using Granary.Edge.Traffic;

namespace Granary.Edge.Routing;

/// <summary>
/// One RUNNING instance as the edge sends to it: its address, and the runtime state that must outlive route
/// table updates (requests in flight for least-requests, passive health), so the mapper hands the same object
/// to the next table as long as the instance keeps its id and address.
/// </summary>
public sealed class Backend
{
    private int _inFlight;
    private string? _affinityKey;

    public Backend(Guid instanceId, int index, string prefix)
    {
        InstanceId = instanceId;
        Index = index;
        IndexText = index.ToString(CultureInfo.InvariantCulture);
        Prefix = prefix;
    }

    public Guid InstanceId { get; }

    public int Index { get; }

    /// <summary>The index as the response header and the access log write it.</summary>
    public string IndexText { get; }

    /// <summary>Where requests go: <c>http://host:port</c>.</summary>
    public string Prefix { get; }

    /// <summary>
    /// The affinity cookie's value for this instance: a hash, so clients learn nothing of instance ids, and the
    /// same on every edge, so a sticky client may be served by any of them. Computed on first use: most apps are
    /// not sticky, and a 100k-route table would otherwise hash every instance up front.
    /// </summary>
    public string AffinityKey => _affinityKey ??= AffinityKeyOf(InstanceId);

    public int InFlight => Volatile.Read(ref _inFlight);

    public PassiveHealth Health { get; } = new();

    public void RequestStarted() => Interlocked.Increment(ref _inFlight);

    public void RequestEnded() => Interlocked.Decrement(ref _inFlight);

    public static string AffinityKeyOf(Guid instanceId)
    {
        Span<byte> id = stackalloc byte[16];
        instanceId.TryWriteBytes(id);
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(id, hash);
        return Convert.ToHexStringLower(hash[..8]);
    }
}
