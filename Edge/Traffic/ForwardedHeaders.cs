using Microsoft.Extensions.Primitives;

namespace Granary.Edge.Traffic;

/// <summary>The X-Forwarded-* values the edge sends to an instance.</summary>
public readonly record struct ForwardedValues(string For, string Proto, string Host);

/// <summary>
/// The trust decision for X-Forwarded-*, pure. From an untrusted peer (anyone, by default) whatever the
/// client sent is replaced: the instance sees the peer's address, the edge's scheme and the Host, so a
/// client cannot pass itself off as someone else. From a trusted load balancer the chain it sent is kept
/// and the peer is appended, as each proxy in a chain does.
/// </summary>
public static class ForwardedHeaders
{
    public static ForwardedValues Decide(
        bool peerTrusted, string peer, string scheme, string host,
        StringValues incomingFor, StringValues incomingProto, StringValues incomingHost)
    {
        if (!peerTrusted)
        {
            return new ForwardedValues(peer, scheme, host);
        }

        var chain = StringValues.IsNullOrEmpty(incomingFor) ? peer : $"{string.Join(", ", incomingFor.ToArray())}, {peer}";
        var proto = StringValues.IsNullOrEmpty(incomingProto) ? scheme : incomingProto.ToString();
        var originalHost = StringValues.IsNullOrEmpty(incomingHost) ? host : incomingHost.ToString();
        return new ForwardedValues(chain, proto, originalHost);
    }
}
