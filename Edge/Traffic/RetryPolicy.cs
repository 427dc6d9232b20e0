using Yarp.ReverseProxy.Forwarder;

namespace Granary.Edge.Traffic;

/// <summary>Whether a failed attempt may go to another instance (pure).</summary>
public static class RetryPolicy
{
    /// <summary>
    /// Only before the response started, and only for failures to reach the instance. A connection that was
    /// never established (refused, or not accepted within the connect timeout) carried nothing, so any request
    /// may go elsewhere; otherwise the instance may have acted on it, so only an idempotent request without a
    /// body (the body is streamed, not kept) is replayed.
    /// </summary>
    public static bool CanRetry(ForwarderError error, Exception? exception, string method, bool hasBody, bool responseStarted)
    {
        if (responseStarted)
        {
            return false;
        }

        return error switch
        {
            ForwarderError.Request => ProxyErrors.IsConnectFailure(exception) || (IsIdempotent(method) && !hasBody),
            ForwarderError.RequestTimedOut => ProxyErrors.IsConnectTimeout(exception),
            _ => false,
        };
    }

    public static bool IsIdempotent(string method) =>
        HttpMethods.IsGet(method) || HttpMethods.IsHead(method) || HttpMethods.IsOptions(method)
        || HttpMethods.IsPut(method) || HttpMethods.IsDelete(method) || HttpMethods.IsTrace(method);
}
