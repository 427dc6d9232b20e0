using System.Globalization;
using Granary.Edge.Routing;
using Yarp.ReverseProxy.Model;

namespace Granary.Edge.Traffic;

/// <summary>
/// First step of the proxy pipeline: answers what the edge knows without asking an instance. Unknown host
/// → 404, app without a RUNNING instance → 503, and <c>X-Granary-Instance</c> narrows the request to one
/// instance (400 if malformed, 404 if the routed app has no such RUNNING instance).
/// </summary>
internal sealed class AppGateMiddleware(RequestDelegate next)
{
    public Task InvokeAsync(HttpContext context)
    {
        var proxy = context.GetReverseProxyFeature();
        var metadata = proxy.Route.Config.Metadata;
        if (metadata is null || !metadata.TryGetValue(EdgeMetadata.AppId, out var appId))
        {
            return EdgeResponses.WriteAsync(context, StatusCodes.Status404NotFound,
                $"404 Not Found: no app is mapped to {EdgeResponses.HostOf(context.Request)}\n");
        }

        var name = metadata.GetValueOrDefault(EdgeMetadata.AppName) ?? appId;
        if (proxy.AllDestinations.Count == 0)
        {
            return EdgeResponses.WriteAsync(context, StatusCodes.Status503ServiceUnavailable,
                $"503 Service Unavailable: {name} has no running instances\n");
        }

        if (context.Request.Headers.TryGetValue(EdgeHeaders.TargetInstance, out var header))
        {
            if (!InstanceTarget.TryParse(header, out var target, out var error))
            {
                return EdgeResponses.WriteAsync(context, StatusCodes.Status400BadRequest, $"400 Bad Request: {error}\n");
            }

            if (!string.Equals(target.AppId.ToString(), appId, StringComparison.OrdinalIgnoreCase))
            {
                return EdgeResponses.WriteAsync(context, StatusCodes.Status404NotFound,
                    $"404 Not Found: app {target.AppId} is not the app at {EdgeResponses.HostOf(context.Request)} ({name} is)\n");
            }

            var destination = Find(proxy.AllDestinations, target.Index);
            if (destination is null)
            {
                return EdgeResponses.WriteAsync(context, StatusCodes.Status404NotFound,
                    $"404 Not Found: {name} has no running instance {target.Index}\n");
            }

            // Whatever its passive health says: the caller asked for this one.
            proxy.AvailableDestinations = destination;
        }

        return next(context);
    }

    private static DestinationState? Find(IReadOnlyList<DestinationState> destinations, int index)
    {
        var wanted = index.ToString(CultureInfo.InvariantCulture);
        foreach (var destination in destinations)
        {
            if (destination.Model.Config.Metadata?.GetValueOrDefault(EdgeMetadata.InstanceIndex) == wanted)
            {
                return destination;
            }
        }

        return null;
    }
}
