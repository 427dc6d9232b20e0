using System.Globalization;
using Microsoft.Extensions.Primitives;

namespace Granary.Edge.Traffic;

/// <summary>X-Request-Id: kept when the client sent a sane one, generated otherwise.</summary>
public static class RequestIds
{
    public const int MaxLength = 128;

    /// <summary>The client's id if it is one value of 1..128 visible ASCII characters; null means generate one.</summary>
    public static string? Accept(StringValues incoming)
    {
        if (incoming.Count != 1 || incoming[0] is not { Length: > 0 and <= MaxLength } id)
        {
            return null;
        }

        foreach (var c in id)
        {
            if (c is < '!' or > '~')
            {
                return null;
            }
        }

        return id;
    }

    // Guid.NewGuid reads the kernel's random source: a system call per request. A random prefix per process and a
    // counter are as unique (across edges with overwhelming odds, within one for 2^64 requests) at no such cost.
    private static readonly ulong Prefix = (ulong)Random.Shared.NextInt64() ^ ((ulong)Environment.ProcessId << 32);
    private static long s_counter = Random.Shared.NextInt64();

    /// <summary>A new id: 32 lower-case hex digits.</summary>
    public static string New() =>
        string.Create(32, (ulong)Interlocked.Increment(ref s_counter), static (span, counter) =>
        {
            Prefix.TryFormat(span[..16], out _, "x16", CultureInfo.InvariantCulture);
            counter.TryFormat(span[16..], out _, "x16", CultureInfo.InvariantCulture);
        });
}
