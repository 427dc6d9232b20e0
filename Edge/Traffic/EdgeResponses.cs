using System.Text;
using Microsoft.Net.Http.Headers;

namespace Granary.Edge.Traffic;

/// <summary>The short text answers the edge gives itself (404, 503, 502, 400, health).</summary>
internal static class EdgeResponses
{
    public static Task WriteAsync(HttpContext context, int status, string text)
    {
        var response = context.Response;
        response.StatusCode = status;
        response.ContentType = "text/plain; charset=utf-8";
        response.Headers[HeaderNames.CacheControl] = "no-store";
        response.Headers[EdgeHeaders.RequestId] = context.Request.Headers[EdgeHeaders.RequestId];
        var body = Encoding.UTF8.GetBytes(text);
        response.ContentLength = body.Length;
        return HttpMethods.IsHead(context.Request.Method) ? Task.CompletedTask : response.Body.WriteAsync(body).AsTask();
    }

    /// <summary>The host as the client named it, without the port, cut short if absurdly long.</summary>
    public static string HostOf(HttpRequest request)
    {
        var host = request.Host.Host;
        return host.Length <= 100 ? host : host[..100] + "…";
    }
}
