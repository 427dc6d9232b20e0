using Microsoft.AspNetCore.Http.Features;
using Yarp.ReverseProxy.Forwarder;
using Yarp.ReverseProxy.Model;

namespace Granary.Edge.Traffic;

/// <summary>
/// Sends a request that could not reach its instance to another one (see <see cref="RetryPolicy"/>), by
/// running the rest of the proxy pipeline again with the failed instances taken out of the candidates.
/// Sits before session affinity and load balancing, which narrow the candidates to one per attempt.
/// </summary>
internal sealed partial class RetryMiddleware(RequestDelegate next, ILogger<RetryMiddleware> logger)
{
    private const int MaxAttempts = 3;

    public async Task InvokeAsync(HttpContext context)
    {
        var proxy = context.GetReverseProxyFeature();
        var candidates = proxy.AvailableDestinations;
        await next(context);
        for (var attempt = 2; attempt <= MaxAttempts; attempt++)
        {
            if (proxy.ProxiedDestination is not { } failed
                || context.Features.Get<IForwarderErrorFeature>() is not { } error
                || !RetryPolicy.CanRetry(error.Error, error.Exception, context.Request.Method, HasBody(context), context.Response.HasStarted))
            {
                return;
            }

            candidates = Without(candidates, failed);
            if (candidates.Count == 0)
            {
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
