using Granary.Edge.Routing;
using Microsoft.AspNetCore.Http.Features;
using Yarp.ReverseProxy.Forwarder;
using Yarp.ReverseProxy.Model;

namespace Granary.Edge.Traffic;

/// <summary>
/// What happens when an attempt fails. A request that could not reach its instance goes to another one (see
/// <see cref="RetryPolicy"/>): the rest of the proxy pipeline runs again with the failed instances taken out of
/// the candidates. It sits before session affinity and load balancing, which narrow the candidates to one per
/// attempt. After the last attempt, a failure that happened before the response started gets a short body
/// naming the app, the instance and the cause (<see cref="ProxyErrors"/>).
/// </summary>
internal sealed partial class RetryMiddleware(RequestDelegate next, ILogger<RetryMiddleware> logger)
{
    private const int MaxAttempts = 3;

    public async Task InvokeAsync(HttpContext context)
    {
        var proxy = context.GetReverseProxyFeature();
        var candidates = proxy.AvailableDestinations;
        await next(context);
        for (var attempt = 2; ; attempt++)
        {
            if (context.Features.Get<IForwarderErrorFeature>() is not { } error)
            {
                return;
            }

            if (attempt > MaxAttempts || proxy.ProxiedDestination is not { } failed
                || !RetryPolicy.CanRetry(error.Error, error.Exception, context.Request.Method, HasBody(context), context.Response.HasStarted)
                || (candidates = Without(candidates, failed)).Count == 0)
            {
                await WriteErrorAsync(context, proxy, error);
                return;
            }

            LogRetrying(failed.DestinationId, error.Error);
            context.Response.Clear();
            context.Response.Headers[EdgeHeaders.RequestId] = context.Request.Headers[EdgeHeaders.RequestId];
            context.Features.Set<IForwarderErrorFeature>(null);
            proxy.ProxiedDestination = null;
            proxy.AvailableDestinations = candidates;
            await next(context);
        }
    }

    private static Task WriteErrorAsync(HttpContext context, IReverseProxyFeature proxy, IForwarderErrorFeature error)
    {
        if (context.Response.HasStarted || context.RequestAborted.IsCancellationRequested)
        {
            return Task.CompletedTask;
        }

        var app = proxy.Route.Config.Metadata?.GetValueOrDefault(EdgeMetadata.AppName) ?? "the app";
        var instance = proxy.ProxiedDestination?.Model.Config.Metadata?.GetValueOrDefault(EdgeMetadata.InstanceIndex);
        var status = context.Response.StatusCode;
        context.Response.Clear();
        return EdgeResponses.WriteAsync(context, status, ProxyErrors.Describe(status, error.Error, error.Exception, app, instance));
    }

    private static bool HasBody(HttpContext context) =>
        context.Features.Get<IHttpRequestBodyDetectionFeature>()?.CanHaveBody
        ?? (context.Request.ContentLength > 0 || context.Request.Headers.TransferEncoding.Count > 0);

    private static List<DestinationState> Without(IReadOnlyList<DestinationState> destinations, DestinationState failed)
    {
        var rest = new List<DestinationState>(destinations.Count);
        foreach (var destination in destinations)
        {
            if (!ReferenceEquals(destination, failed))
            {
                rest.Add(destination);
            }
        }

        return rest;
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Instance {Destination} failed ({Error}); trying another")]
    private partial void LogRetrying(string destination, ForwarderError error);
}
