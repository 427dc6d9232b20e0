using Granary.Edge.Routing;
using Yarp.ReverseProxy.Model;
using Yarp.ReverseProxy.Transforms;

namespace Granary.Edge.Traffic;

/// <summary>Sets X-Forwarded-For/Proto/Host on the proxied request by <see cref="ForwardedHeaders.Decide"/>.</summary>
internal sealed class ForwardedHeadersTransform(TrustedProxies trusted) : RequestTransform
{
    public override ValueTask ApplyAsync(RequestTransformContext context)
    {
        var http = context.HttpContext;
        var remote = http.Connection.RemoteIpAddress;
        var isTrusted = trusted.Contains(remote);
        var incomingFor = TakeHeader(context, EdgeHeaders.ForwardedFor);
        var incomingProto = TakeHeader(context, EdgeHeaders.ForwardedProto);
        var incomingHost = TakeHeader(context, EdgeHeaders.ForwardedHost);
        if (!isTrusted)
        {
            foreach (var name in EdgeHeaders.UntrustedForwarding)
            {
                RemoveHeader(context, name);
            }
        }

        var peer = remote is null ? "unknown" : TrustedProxies.Normalize(remote).ToString();
        var values = ForwardedHeaders.Decide(isTrusted, peer, http.Request.Scheme, http.Request.Host.Value ?? "",
            incomingFor, incomingProto, incomingHost);
        AddHeader(context, EdgeHeaders.ForwardedFor, values.For);
        AddHeader(context, EdgeHeaders.ForwardedProto, values.Proto);
        AddHeader(context, EdgeHeaders.ForwardedHost, values.Host);
        RemoveHeader(context, EdgeHeaders.TargetInstance);
        return default;
    }
}

/// <summary>Names the serving instance and restates the request id on proxied responses (over the app's own).</summary>
internal sealed class EdgeResponseHeadersTransform : ResponseTransform
{
    public override ValueTask ApplyAsync(ResponseTransformContext context)
    {
        var http = context.HttpContext;
        var headers = http.Response.Headers;
        headers[EdgeHeaders.RequestId] = http.Request.Headers[EdgeHeaders.RequestId];
        if (context.ProxyResponse is not null
            && http.Features.Get<IReverseProxyFeature>()?.ProxiedDestination?.Model.Config.Metadata is { } metadata
            && metadata.TryGetValue(EdgeMetadata.InstanceIndex, out var index))
        {
            headers[EdgeHeaders.InstanceIndex] = index;
        }
        else
        {
            headers.Remove(EdgeHeaders.InstanceIndex);
        }

        return default;
    }
}
