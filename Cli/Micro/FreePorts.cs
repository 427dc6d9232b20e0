using System.Net;
using System.Net.Sockets;

namespace Granary.Cli.Micro;

internal static class FreePorts
{
    private const int LowestPort = 10000;

    /// <summary>
    /// Picks <paramref name="count"/> distinct free TCP ports below the kernel's ephemeral range. A port from that
    /// range (what binding port 0 gives) is free only until the kernel hands it to some outgoing connection, which on
    /// a busy machine happened before the silo bound it ("address already in use"); below the range only listeners
    /// take ports. All listeners stay open until every port is chosen, so no port is picked twice.
    /// </summary>
    public static int[] Pick(int count)
    {
        var listeners = new List<TcpListener>();
        try
        {
            var (low, _) = EphemeralRange();
            for (var attempt = 0; listeners.Count < count && attempt < 200; attempt++)
            {
                var port = low > LowestPort + 1000 ? Random.Shared.Next(LowestPort, low) : 0;
                if (TryListen(port) is { } listener)
                    listeners.Add(listener);
            }

            while (listeners.Count < count)
                listeners.Add(TryListen(0) ?? throw new SocketException((int)SocketError.AddressAlreadyInUse));
            return listeners.Select(l => ((IPEndPoint)l.LocalEndpoint).Port).ToArray();
        }
        finally
        {
            foreach (var listener in listeners)
                listener.Stop();
        }
    }

    /// <summary>The kernel's range for outgoing connections' local ports (Linux: ip_local_port_range).</summary>
    public static (int Low, int High) EphemeralRange()
    {
        try
        {
            var parts = File.ReadAllText("/proc/sys/net/ipv4/ip_local_port_range").Split((char[])['\t', ' ', '\n'], StringSplitOptions.RemoveEmptyEntries);
            return (int.Parse(parts[0], System.Globalization.CultureInfo.InvariantCulture), int.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
            return (32768, 60999);
        }
    }

    public static bool IsFree(int port)
    {
        try
        {
            var listener = new TcpListener(IPAddress.Any, port);
            listener.Start();
            listener.Stop();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private static TcpListener? TryListen(int port)
    {
        // Any address, as the API binds loopback and the edge every address: the port must be free for both.
        var listener = new TcpListener(IPAddress.Any, port);
        try
        {
            listener.Start();
            return listener;
        }
        catch (SocketException)
        {
            return null;
        }
    }
}
