using Granary.Edge.Routing;
using Yarp.ReverseProxy.Forwarder;
using Yarp.ReverseProxy.Model;

namespace Granary.Edge.Traffic;

/// <summary>After the last attempt: if YARP failed before the response started, say why in a short body.</summary>
internal sealed class ProxyErrorMiddleware(RequestDelegate next)
{
    public async Task InvokeAsync(HttpContext context)
    {
        await next(context);
        if (context.Features.Get<IForwarderErrorFeature>() is not { } error || context.Response.HasStarted || context.RequestAborted.IsCancellationRequested)
        {
            return;
        }

        var proxy = context.GetReverseProxyFeature();
        var app = proxy.Route.Config.Metadata?.GetValueOrDefault(EdgeMetadata.AppName) ?? "the app";
        var instance = proxy.ProxiedDestination?.Model.Config.Metadata?.GetValueOrDefault(EdgeMetadata.InstanceIndex);
        var status = context.Response.StatusCode;
        context.Response.Clear();
        await EdgeResponses.WriteAsync(context, status, ProxyErrors.Describe(status, error.Error, error.Exception, app, instance));
    }
}
