using System.Net;
using Granary.Edge.Hosting;
using Microsoft.Extensions.Options;
using Yarp.ReverseProxy.Forwarder;

namespace Granary.Edge.Traffic;

/// <summary>
/// The one connection pool to every instance, tuned for a proxy: no proxy lookup, cookies, redirects or
/// decompression (the client's bytes pass as they are), no trace headers unless tracing is on, and HTTP/1.1
/// asked for directly (instances speak it; no version negotiation per connection).
/// </summary>
internal sealed class BackendClient : IDisposable
{
    public BackendClient(IOptions<EdgeOptions> options)
    {
        var handler = new SocketsHttpHandler
        {
            UseProxy = false,
            AllowAutoRedirect = false,
            AutomaticDecompression = DecompressionMethods.None,
            UseCookies = false,
            ConnectTimeout = options.Value.BackendConnectTimeout,
            // An instance's address is reused by a later instance: do not keep idle connections for long.
            PooledConnectionIdleTimeout = TimeSpan.FromSeconds(30),
            EnableMultipleHttp2Connections = true,
        };
        if (!Hosting.EdgeTelemetry.OtlpConfigured)
        {
            // Without a tracer nothing reads traceparent; injecting it costs on every request.
            handler.ActivityHeadersPropagator = null;
        }

        Invoker = new HttpMessageInvoker(handler, disposeHandler: true);
    }

    public HttpMessageInvoker Invoker { get; }

    /// <summary>Instances speak HTTP/1.1: asking for it directly skips a version negotiation per connection.</summary>
    public static ForwarderRequestConfig RequestConfig { get; } = new()
    {
        Version = HttpVersion.Version11,
        VersionPolicy = HttpVersionPolicy.RequestVersionOrLower,
    };

    public void Dispose() => Invoker.Dispose();
}
