using System.Net;
using System.Net.Sockets;

namespace Granary.Silo.Dea;

/// <summary>
/// Hands out ports the kernel says are free, never the same one twice in a short while, so two
/// instances starting together cannot be given the same port before either has bound it.
/// </summary>
public sealed class FreePorts(TimeProvider time)
{
    private static readonly TimeSpan Quarantine = TimeSpan.FromMinutes(2);
    private readonly Dictionary<int, DateTimeOffset> _handedOut = new();
    private readonly Lock _lock = new();

    public int Take()
    {
        lock (_lock)
        {
            var now = time.GetUtcNow();
            foreach (var stale in _handedOut.Where(p => now - p.Value > Quarantine).Select(p => p.Key).ToList())
            {
                _handedOut.Remove(stale);
            }

            for (var attempt = 0; attempt < 100; attempt++)
            {
                using var listener = new TcpListener(IPAddress.Any, 0);
                listener.Start();
                var port = ((IPEndPoint)listener.LocalEndpoint).Port;
                if (_handedOut.TryAdd(port, now))
                {
                    return port;
                }
            }

            throw new InvalidOperationException("no free TCP port could be found");
        }
    }
}
