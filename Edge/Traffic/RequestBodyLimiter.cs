using Granary.Config;
using Granary.Edge.Hosting;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;

namespace Granary.Edge.Traffic;

/// <summary>
/// The edge's request body limit (<c>Granary:Edge:MaxRequestBodySize</c>), followed live: <c>granary config set</c>
/// reaches every edge through its configuration, and each request is held to the limit in force when it arrives.
/// Kestrel's own limit (30,000,000 bytes by default) is lifted at start (<see cref="EdgeApp"/>), so an unlimited
/// edge sets nothing per request.
/// </summary>
internal sealed partial class RequestBodyLimiter : IDisposable
{
    private const long NoLimit = -1;

    private readonly IDisposable? _subscription;
    private readonly ILogger<RequestBodyLimiter> _logger;
    private long _limit;

    public RequestBodyLimiter(IOptionsMonitor<EdgeOptions> options, ILogger<RequestBodyLimiter> logger)
    {
        _logger = logger;
        var configured = options.CurrentValue.MaxRequestBodySize;
        if (!RequestBodyLimit.TryParse(configured, out var limit))
        {
            // A mistyped local setting must stop the edge at start, not admit bodies the operator meant to refuse.
            throw new InvalidOperationException(
                $"Granary:Edge:MaxRequestBodySize is '{configured}'; use {RequestBodyLimit.AcceptedForms}");
        }

        _limit = limit ?? NoLimit;
        _subscription = options.OnChange(changed => Change(changed.MaxRequestBodySize));
    }

    /// <summary>The limit in force, null when unlimited.</summary>
    public long? Current => Volatile.Read(ref _limit) is var limit and >= 0 ? limit : null;

    /// <summary>
    /// Whether the request announces a body over the limit: it is answered 413 before anything is forwarded. Kestrel
    /// then drains the unread body (for a few seconds) so the client reads the answer instead of a reset connection.
    /// A body of unknown length (chunked) is held to the limit as it is read (<see cref="IHttpMaxRequestBodySizeFeature"/>).
    /// </summary>
    public bool Refuses(HttpContext context)
    {
        var limit = Volatile.Read(ref _limit);
        if (limit == NoLimit)
        {
            return false;
        }

        if (context.Request.ContentLength is { } length)
        {
            return length > limit;
        }

        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } feature)
        {
            feature.MaxRequestBodySize = limit;
        }

        return false;
    }

    /// <summary>Kestrel refused the body as too large (it reports that as a bad request with status 413).</summary>
    public static bool IsBodyTooLarge(Exception? exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge })
            {
                return true;
            }
        }

        return false;
    }

    public void Dispose() => _subscription?.Dispose();

    private void Change(string? configured)
    {
        if (!RequestBodyLimit.TryParse(configured, out var limit))
        {
            // The cluster config validates what it stores; only a hand-edited local source can get here.
            LogInvalid(configured, RequestBodyLimit.Format(Current));
            return;
        }

        if (Interlocked.Exchange(ref _limit, limit ?? NoLimit) != (limit ?? NoLimit))
        {
            LogChanged(RequestBodyLimit.Format(limit));
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Request bodies are now limited to {Limit} (Granary:Edge:MaxRequestBodySize)")]
    private partial void LogChanged(string limit);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Granary:Edge:MaxRequestBodySize '{Configured}' is not a size; keeping {Limit}")]
    private partial void LogInvalid(string? configured, string limit);
}
