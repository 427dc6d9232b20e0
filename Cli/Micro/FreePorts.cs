using System.Net;
using System.Net.Sockets;

namespace Granary.Cli.Micro;

internal static class FreePorts
{
    /// <summary>
    /// Picks <paramref name="count"/> distinct free TCP ports. All listeners stay open until every port
    /// is chosen, so the kernel cannot hand the same port out twice.
    /// </summary>
    public static int[] Pick(int count)
    {
        var listeners = new List<TcpListener>();
        try
        {
            for (var i = 0; i < count; i++)
            {
                var listener = new TcpListener(IPAddress.Loopback, 0);
                listener.Start();
                listeners.Add(listener);
            }
            return listeners.Select(l => ((IPEndPoint)l.LocalEndpoint).Port).ToArray();
        }
        finally
        {
            foreach (var listener in listeners)
                listener.Stop();
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
}
