using System.Net.Http.Headers;
using Microsoft.AspNetCore.Http.Features;
using Yarp.ReverseProxy.Forwarder;

namespace Granary.Edge.Traffic;

/// <summary>
/// What the edge changes on the way through, and nothing else: YARP's base copies every header (Host included:
/// apps see the name they were reached by, as behind Cloud Foundry's router), then X-Forwarded-* are set by
/// <see cref="ForwardedHeaders.Decide"/>, client-sent forwarding headers are dropped unless the peer is trusted,
/// and X-Granary-Instance stays at the edge. On the response the edge restates its request id and the index of
/// the instance that served (both set on the response before forwarding, and kept over the app's own values),
/// and the body is coalesced into as few sends as the instance allows (<see cref="CoalescedResponseBody"/>), or, when
/// the instance declares trailers, chunked by the edge so HTTP/1.1 clients get them (<see cref="ChunkedTrailersBody"/>).
/// </summary>
internal sealed class EdgeTransformer(TrustedProxies trusted) : HttpTransformer
{
    public override async ValueTask TransformRequestAsync(HttpContext httpContext, HttpRequestMessage proxyRequest, string destinationPrefix, CancellationToken cancellationToken)
    {
        await base.TransformRequestAsync(httpContext, proxyRequest, destinationPrefix, cancellationToken);
        var request = httpContext.Request;
        var outgoing = proxyRequest.Headers;
        var remote = httpContext.Connection.RemoteIpAddress;
        var isTrusted = !trusted.IsEmpty && trusted.Contains(remote);
        var incoming = request.Headers;
        var host = request.Host.Value ?? "";
        var peer = remote is null ? "unknown" : TrustedProxies.Normalize(remote).ToString();
        var values = ForwardedHeaders.Decide(isTrusted, peer, request.Scheme, host,
            incoming[EdgeHeaders.ForwardedFor], incoming[EdgeHeaders.ForwardedProto], incoming[EdgeHeaders.ForwardedHost]);
        Set(outgoing, EdgeHeaders.ForwardedFor, values.For);
        Set(outgoing, EdgeHeaders.ForwardedProto, values.Proto);
        Set(outgoing, EdgeHeaders.ForwardedHost, values.Host);
        if (!isTrusted)
        {
            foreach (var name in EdgeHeaders.UntrustedForwarding)
            {
                if (incoming.ContainsKey(name))
                {
                    outgoing.Remove(name);
                }
            }
        }

        if (incoming.ContainsKey(EdgeHeaders.TargetInstance))
        {
            outgoing.Remove(EdgeHeaders.TargetInstance);
        }
    }

    public override async ValueTask<bool> TransformResponseAsync(HttpContext httpContext, HttpResponseMessage? proxyResponse, CancellationToken cancellationToken)
    {
        var headers = httpContext.Response.Headers;
        var instance = headers[EdgeHeaders.InstanceIndex];
        var proxied = await base.TransformResponseAsync(httpContext, proxyResponse, cancellationToken);
        headers[EdgeHeaders.InstanceIndex] = instance;
        headers[EdgeHeaders.RequestId] = httpContext.Request.Headers[EdgeHeaders.RequestId];
        // An upgraded connection (websockets) is copied as two raw streams: only plain bodies are wrapped.
        if (proxied && proxyResponse is { StatusCode: not System.Net.HttpStatusCode.SwitchingProtocols, Content: { } content }
            && httpContext.Features.Get<IHttpResponseBodyFeature>() is { } body)
        {
            if (ChunkedTrailersBody.Applies(httpContext, proxyResponse))
            {
                httpContext.Response.Headers.TransferEncoding = "chunked";
                httpContext.Features.Set<IHttpResponseBodyFeature>(new ChunkedTrailersBody(body));
                return proxied;
            }

            var coalesced = new CoalescedResponseBody(body);
            httpContext.Features.Set<IHttpResponseBodyFeature>(coalesced);
            proxyResponse.Content = new FlushBeforeWaitContent(content, coalesced);
        }

        return proxied;
    }

    public override ValueTask TransformResponseTrailersAsync(HttpContext httpContext, HttpResponseMessage proxyResponse, CancellationToken cancellationToken) =>
        httpContext.Features.Get<IHttpResponseBodyFeature>() is ChunkedTrailersBody chunked
            ? chunked.EndAsync(proxyResponse.TrailingHeaders)
            : base.TransformResponseTrailersAsync(httpContext, proxyResponse, cancellationToken);

    private static void Set(HttpRequestHeaders headers, string name, string value)
    {
        headers.Remove(name);
        headers.TryAddWithoutValidation(name, value);
    }
}
