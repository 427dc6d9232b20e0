using System.Net;

namespace Granary.Edge.Traffic;

/// <summary>The load balancers allowed to tell the edge who the client is (Granary:Edge:TrustedProxies).</summary>
public sealed class TrustedProxies
{
    private readonly IPNetwork[] _networks;

    private TrustedProxies(IPNetwork[] networks) => _networks = networks;

    public static TrustedProxies None { get; } = new([]);

    public bool IsEmpty => _networks.Length == 0;

    /// <summary>Entries are IPs or CIDRs; an entry may hold several separated by commas. Throws on a bad one.</summary>
    public static TrustedProxies Parse(IEnumerable<string?> entries)
    {
        var networks = new List<IPNetwork>();
        foreach (var entry in entries)
        {
            foreach (var part in (entry ?? "").Split([',', ' ', ';'], StringSplitOptions.RemoveEmptyEntries))
            {
                if (part.Contains('/') && IPNetwork.TryParse(part, out var network))
                {
                    networks.Add(network);
                }
                else if (IPAddress.TryParse(part, out var address))
                {
                    address = Normalize(address);
                    networks.Add(new IPNetwork(address, address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 32 : 128));
                }
                else
                {
                    throw new FormatException($"Granary:Edge:TrustedProxies: '{part}' is neither an IP address nor a CIDR range");
                }
            }
        }

        return new TrustedProxies([.. networks]);
    }

    /// <summary>Reads the setting whether it is a list (<c>TrustedProxies:0=…</c>) or one comma-separated value.</summary>
    public static TrustedProxies FromConfiguration(IConfigurationSection section) =>
        Parse(section.GetChildren().Select(c => c.Value).Append(section.Value));

    public bool Contains(IPAddress? address)
    {
        if (address is null || _networks.Length == 0)
        {
            return false;
        }

        address = Normalize(address);
        foreach (var network in _networks)
        {
            if (network.Contains(address))
            {
                return true;
            }
        }

        return false;
    }

    public static IPAddress Normalize(IPAddress address) => address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
}
