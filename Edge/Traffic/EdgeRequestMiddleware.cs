using System.Diagnostics;
using Granary.Edge.Routing;
using Microsoft.AspNetCore.Http.Features;
using Yarp.ReverseProxy.Model;

namespace Granary.Edge.Traffic;

/// <summary>
/// Outermost step for traffic: gives every request an X-Request-Id (kept if the client sent a sane one,
/// forwarded to the instance, returned to the client), then records the access log line and the metrics.
/// </summary>
internal sealed class EdgeRequestMiddleware(RequestDelegate next, AccessLog accessLog, EdgeMetrics metrics)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var started = Stopwatch.GetTimestamp();
        var request = context.Request;
        var id = RequestIds.Accept(request.Headers[EdgeHeaders.RequestId]);
        if (id is null)
        {
            id = RequestIds.New();
            request.Headers[EdgeHeaders.RequestId] = id;
        }

        context.Response.Headers[EdgeHeaders.RequestId] = id;
        var failed = true;
        try
        {
            await next(context);
            failed = false;
        }
        finally
        {
            Record(context, id, started, failed);
        }
    }

    private void Record(HttpContext context, string id, long started, bool failed)
    {
        if (!accessLog.Enabled && !metrics.Enabled)
        {
            return;
        }

        var elapsed = Stopwatch.GetElapsedTime(started);
        var status = failed && !context.Response.HasStarted ? StatusCodes.Status500InternalServerError : context.Response.StatusCode;
        var proxy = context.Features.Get<IReverseProxyFeature>();
        var app = proxy?.Route.Config.Metadata?.GetValueOrDefault(EdgeMetadata.AppName);
        if (metrics.Enabled)
        {
            metrics.Record(app, status, elapsed);
        }

        if (accessLog.Enabled)
        {
            var request = context.Request;
            var instance = proxy?.ProxiedDestination?.Model.Config.Metadata?.GetValueOrDefault(EdgeMetadata.InstanceIndex);
            var target = context.Features.Get<IHttpRequestFeature>()?.RawTarget ?? request.Path.Value ?? "/";
            accessLog.Write(new AccessLogEntry(DateTime.UtcNow - elapsed, request.Host.Value ?? "", request.Method, target,
                status, elapsed.TotalMilliseconds, instance, id, app));
        }
    }
}
