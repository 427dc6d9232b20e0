namespace Granary.Edge.Routing;

/// <summary>Where the edge sends an instance's requests (pure).</summary>
public static class BackendAddress
{
    /// <summary><c>http://host:port</c> (IPv6 in brackets), or null if the host or port cannot be one.</summary>
    public static string? Prefix(string? host, int port)
    {
        if (port is < 1 or > 65535 || string.IsNullOrWhiteSpace(host))
        {
            return null;
        }

        return Uri.CheckHostName(host) switch
        {
            UriHostNameType.IPv6 => $"http://[{host.Trim('[', ']')}]:{port}",
            UriHostNameType.IPv4 or UriHostNameType.Dns => $"http://{host}:{port}",
            _ => null,
        };
    }
}
