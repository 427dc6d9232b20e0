namespace Granary.Edge.Traffic;

/// <summary>Header names the edge reads or writes.</summary>
public static class EdgeHeaders
{
    public const string RequestId = "X-Request-Id";

    /// <summary>Response: the index of the instance that served the request.</summary>
    public const string InstanceIndex = "X-Granary-Instance-Index";

    /// <summary>Request: <c>APP_ID:INDEX</c> sends the request to that one instance.</summary>
    public const string TargetInstance = "X-Granary-Instance";

    /// <summary>Response of the health endpoint: <c>degraded</c> when the control plane is unreachable.</summary>
    public const string EdgeState = "X-Granary-Edge";

    /// <summary>Cookie naming the instance a sticky-session app's client is pinned to.</summary>
    public const string AffinityCookie = "granary_affinity";

    public const string ForwardedFor = "X-Forwarded-For";
    public const string ForwardedProto = "X-Forwarded-Proto";
    public const string ForwardedHost = "X-Forwarded-Host";

    /// <summary>Other client-supplied forwarding headers: dropped unless the peer is a trusted proxy.</summary>
    public static readonly string[] UntrustedForwarding = ["Forwarded", "X-Forwarded-Port", "X-Forwarded-Prefix", "X-Real-IP"];
}
