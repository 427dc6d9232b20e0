using System.Net.Http;
using System.Net.Sockets;
using Microsoft.AspNetCore.WebUtilities;
using Yarp.ReverseProxy.Forwarder;

namespace Granary.Edge.Traffic;

/// <summary>Short texts for the errors YARP reports, naming the app, the instance and the cause (pure).</summary>
public static class ProxyErrors
{
    public static string Describe(int status, ForwarderError error, Exception? exception, string app, string? instance)
    {
        var who = instance is null ? app : $"{app} instance {instance}";
        var what = error switch
        {
            ForwarderError.NoAvailableDestinations => $"{app} has no running instances",
            ForwarderError.RequestTimedOut when IsConnectTimeout(exception) => $"{who} did not accept the connection in time",
            ForwarderError.RequestTimedOut => $"{who} did not answer in time",
            ForwarderError.Request when IsConnectionRefused(exception) => $"{who} refused the connection",
            ForwarderError.Request or ForwarderError.RequestCreation => $"{who} could not be reached ({Cause(exception)})",
            ForwarderError.ResponseHeaders or ForwarderError.ResponseBodyDestination => $"{who} sent a broken response ({Cause(exception)})",
            ForwarderError.RequestBodyClient or ForwarderError.RequestBodyCanceled or ForwarderError.RequestCanceled => "the request body could not be read from the client",
            ForwarderError.RequestBodyDestination => $"{who} stopped reading the request body ({Cause(exception)})",
            _ => $"{who} failed ({error})",
        };
        return $"{status} {ReasonPhrases.GetReasonPhrase(status)}: {what}\n";
    }

    /// <summary>Nothing was sent: the instance's port refused the connection (its process is gone).</summary>
    public static bool IsConnectionRefused(Exception? exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is SocketException { SocketErrorCode: SocketError.ConnectionRefused })
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The connection was never established, so nothing of the request reached the instance.</summary>
    public static bool IsConnectFailure(Exception? exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError } || e is SocketException { SocketErrorCode: SocketError.ConnectionRefused })
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// The instance did not accept the connection within the connect timeout: .NET reports it as a cancellation
    /// carrying a TimeoutException, where YARP's own activity timeout (the request was sent) carries none.
    /// </summary>
    public static bool IsConnectTimeout(Exception? exception)
    {
        if (exception is not OperationCanceledException)
        {
            return false;
        }

        for (var e = exception.InnerException; e is not null; e = e.InnerException)
        {
            if (e is TimeoutException)
            {
                return true;
            }
        }

        return false;
    }

    private static string Cause(Exception? exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                case SocketException socket:
                    return socket.SocketErrorCode.ToString();
                case HttpRequestException { HttpRequestError: not HttpRequestError.Unknown } http:
                    return http.HttpRequestError.ToString();
            }
        }

        return exception?.GetType().Name ?? "unknown";
    }
}
