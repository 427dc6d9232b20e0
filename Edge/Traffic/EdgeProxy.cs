using System.Diagnostics;
using Granary.Config;
using Granary.Edge.Routing;
using Granary.Routes;
using Microsoft.AspNetCore.Http.Features;
using Yarp.ReverseProxy.Forwarder;

namespace Granary.Edge.Traffic;

/// <summary>
/// The edge's traffic path, one terminal handler: request id, host → app (<see cref="EdgeRouter"/>), the answers
/// the edge gives itself (404 unknown host, 503 no instance, 400/404 for X-Granary-Instance), the choice of
/// instance (affinity, load balancing, passive health), YARP's forwarder to it, a retry on another instance when
/// allowed (<see cref="RetryPolicy"/>), a short error body otherwise (<see cref="ProxyErrors"/>), then the access
/// log line and metrics. One frame instead of YARP's route, cluster and middleware pipeline: that pipeline cost
/// about a fifth of the edge's CPU per request, and its per-app routes made 100k-route tables unworkable.
/// </summary>
internal sealed partial class EdgeProxy(
    EdgeRouter router,
    IHttpForwarder forwarder,
    BackendClient client,
    EdgeTransformer transformer,
    AccessLog accessLog,
    EdgeMetrics metrics,
    RequestBodyLimiter bodyLimit,
    TimeProvider time,
    ILogger<EdgeProxy> logger)
{
    private const int MaxAttempts = 3;

    private static readonly CookieOptions AffinityCookie = new() { HttpOnly = true, IsEssential = true, SameSite = SameSiteMode.Lax, Path = "/" };


    public async Task InvokeAsync(HttpContext context)
    {
        var started = Stopwatch.GetTimestamp();
        var id = AssignRequestId(context);
        AppRoute? app = null;
        Backend? instance = null;
        var failed = true;
        try
        {
            app = router.Routes.Find(context.Request.Host.Host);
            instance = await RouteAsync(context, app);
            failed = false;
        }
        finally
        {
            Record(context, id, app, instance, started, failed);
        }
    }

    private static string AssignRequestId(HttpContext context)
    {
        var request = context.Request;
        var id = RequestIds.Accept(request.Headers[EdgeHeaders.RequestId]);
        if (id is null)
        {
            id = RequestIds.New();
            request.Headers[EdgeHeaders.RequestId] = id;
        }

        context.Response.Headers[EdgeHeaders.RequestId] = id;
        return id;
    }

    /// <summary>Answers or forwards; returns the instance that served (or last failed), if any.</summary>
    private async ValueTask<Backend?> RouteAsync(HttpContext context, AppRoute? app)
    {
        if (app is null)
        {
            await EdgeResponses.WriteAsync(context, StatusCodes.Status404NotFound,
                $"404 Not Found: no app is mapped to {EdgeResponses.HostOf(context.Request)}\n");
            return null;
        }

        if (app.Backends.Length == 0)
        {
            await EdgeResponses.WriteAsync(context, StatusCodes.Status503ServiceUnavailable,
                $"503 Service Unavailable: {app.Name} has no running instances\n");
            return null;
        }

        Backend? pinned = null;
        if (context.Request.Headers.TryGetValue(EdgeHeaders.TargetInstance, out var header))
        {
            var (target, problem) = Target(context, app, header);
            if (target is null)
            {
                await EdgeResponses.WriteAsync(context, problem.Status, problem.Body);
                return null;
            }

            // Whatever its passive health says: the caller asked for this one.
            pinned = target;
        }

        if (bodyLimit.Refuses(context))
        {
            await RefuseBodyAsync(context, app);
            return null;
        }

        return await ForwardAsync(context, app, pinned);
    }

    private async ValueTask<Backend> ForwardAsync(HttpContext context, AppRoute app, Backend? pinned)
    {
        var sticky = app.Policy.StickySessions && pinned is null;
        var affinity = sticky ? context.Request.Cookies[EdgeHeaders.AffinityCookie] : null;
        Backend[]? tried = null;
        for (var attempt = 1; ; attempt++)
        {
            var backend = pinned ?? Choose(app, tried, affinity);
            if (sticky && !string.Equals(backend.AffinityKey, affinity, StringComparison.Ordinal))
            {
                context.Response.Cookies.Append(EdgeHeaders.AffinityCookie, backend.AffinityKey, AffinityCookie);
            }

            context.Response.Headers[EdgeHeaders.InstanceIndex] = backend.IndexText;
            ForwarderError error;
            backend.RequestStarted();
            try
            {
                error = await forwarder.SendAsync(context, backend.Prefix, client.Invoker, BackendClient.RequestConfig, transformer);
            }
            finally
            {
                backend.RequestEnded();
                if (context.Features.Get<IHttpResponseBodyFeature>() is IEdgeResponseBody wrapped)
                {
                    await wrapped.EndAsync(context);
                    context.Features.Set(wrapped.Inner);
                }
            }

            if (error == ForwarderError.None)
            {
                backend.Health.Report(AttemptOutcome.Success, time.GetTimestamp(), time);
                return backend;
            }

            var failure = context.Features.Get<IForwarderErrorFeature>();
            if (RequestBodyLimiter.IsBodyTooLarge(failure?.Exception))
            {
                // The client's doing, not the instance's: no passive-health mark and no retry.
                await RefuseBodyAsync(context, app);
                return backend;
            }

            var outcome = PassiveHealthPolicy.Classify(error, failure?.Exception);
            if (backend.Health.Report(outcome, time.GetTimestamp(), time))
            {
                metrics.Ejected(app.Name, outcome);
                LogEjected(app.Name, backend.Index, outcome);
            }

            tried = [.. tried ?? [], backend];
            if (pinned is not null || attempt >= MaxAttempts || tried.Length >= app.Backends.Length
                || !RetryPolicy.CanRetry(error, failure?.Exception, context.Request.Method, HasBody(context), context.Response.HasStarted))
            {
                await WriteErrorAsync(context, app, backend, error, failure?.Exception);
                return backend;
            }

            LogRetrying(app.Name, backend.Index, error);
            metrics.Retried(app.Name);
            context.Response.Clear();
            context.Response.Headers[EdgeHeaders.RequestId] = context.Request.Headers[EdgeHeaders.RequestId];
            context.Features.Set<IForwarderErrorFeature>(null);
        }
    }

    private Backend Choose(AppRoute app, Backend[]? tried, string? affinity)
    {
        var candidates = LoadBalancer.Candidates(app.Backends, tried, time.GetTimestamp());
        return (tried is null ? LoadBalancer.ByAffinity(candidates, affinity) : null)
            ?? LoadBalancer.Choose(candidates, app.Policy.LoadBalancing, app.NextTurn());
    }

    private static (Backend? Target, (int Status, string Body) Problem) Target(HttpContext context, AppRoute app, Microsoft.Extensions.Primitives.StringValues header)
    {
        if (!InstanceTarget.TryParse(header, out var target, out var error))
        {
            return (null, (StatusCodes.Status400BadRequest, $"400 Bad Request: {error}\n"));
        }

        if (target.AppId != app.AppId)
        {
            return (null, (StatusCodes.Status404NotFound,
                $"404 Not Found: app {target.AppId} is not the app at {EdgeResponses.HostOf(context.Request)} ({app.Name} is)\n"));
        }

        return app.FindIndex(target.Index) is { } backend
            ? (backend, default)
            : (null, (StatusCodes.Status404NotFound, $"404 Not Found: {app.Name} has no running instance {target.Index}\n"));
    }

    /// <summary>
    /// The failure as one log line and, while nothing was sent yet, as the answer. YARP's own report of it (a
    /// warning with the whole stack trace) is filtered out in <see cref="Hosting.EdgeApp"/>: this line says the same.
    /// </summary>
    private Task WriteErrorAsync(HttpContext context, AppRoute app, Backend backend, ForwarderError error, Exception? exception)
    {
        var status = context.Response.StatusCode;
        var text = ProxyErrors.Describe(status, error, exception, app.Name, backend.IndexText);
        if (context.Response.HasStarted || context.RequestAborted.IsCancellationRequested)
        {
            LogFailed(context.Request.Headers[EdgeHeaders.RequestId].ToString(), "(response already started or client gone) " + text.TrimEnd());
            return Task.CompletedTask;
        }

        LogFailed(context.Request.Headers[EdgeHeaders.RequestId].ToString(), text.TrimEnd());
        context.Response.Clear();
        return EdgeResponses.WriteAsync(context, status, text);
    }

    /// <summary>413 for a body over <c>Granary:Edge:MaxRequestBodySize</c>, logged as one line (no stack trace).</summary>
    private Task RefuseBodyAsync(HttpContext context, AppRoute app)
    {
        var limit = RequestBodyLimit.Format(bodyLimit.Current);
        LogBodyTooLarge(app.Name, limit, context.Request.ContentLength is { } length
            ? $"Content-Length {length}" : "no Content-Length, cut off when it passed the limit");
        if (context.Response.HasStarted || context.RequestAborted.IsCancellationRequested)
        {
            return Task.CompletedTask;
        }

        context.Response.Clear();
        return EdgeResponses.WriteAsync(context, StatusCodes.Status413PayloadTooLarge,
            $"413 Payload Too Large: request bodies are limited to {limit} bytes here (Granary:Edge:MaxRequestBodySize)\n");
    }

    private static bool HasBody(HttpContext context) =>
        context.Features.Get<IHttpRequestBodyDetectionFeature>()?.CanHaveBody
        ?? (context.Request.ContentLength > 0 || context.Request.Headers.TransferEncoding.Count > 0);

    private void Record(HttpContext context, string id, AppRoute? app, Backend? instance, long started, bool failed)
    {
        if (!accessLog.Enabled && !metrics.Enabled)
        {
            return;
        }

        var elapsed = Stopwatch.GetElapsedTime(started);
        var status = failed && !context.Response.HasStarted ? StatusCodes.Status500InternalServerError : context.Response.StatusCode;
        if (metrics.Enabled)
        {
            metrics.Record(app?.Name, status, elapsed);
        }

        if (accessLog.Enabled)
        {
            var request = context.Request;
            var target = context.Features.Get<IHttpRequestFeature>()?.RawTarget ?? request.Path.Value ?? "/";
            accessLog.Write(new AccessLogEntry(DateTime.UtcNow - elapsed, request.Host.Value ?? "", request.Method, target,
                status, elapsed.TotalMilliseconds, instance?.IndexText, id, app?.Name));
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "{App} instance {Index} failed ({Error}); trying another")]
    private partial void LogRetrying(string app, int index, ForwarderError error);

    [LoggerMessage(Level = LogLevel.Information, Message = "{App}: refused a request body over {Limit} bytes ({Body}); Granary:Edge:MaxRequestBodySize sets the limit")]
    private partial void LogBodyTooLarge(string app, string limit, string body);

    [LoggerMessage(Level = LogLevel.Information, Message = "Request {RequestId}: {Failure}")]
    private partial void LogFailed(string requestId, string failure);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{App} instance {Index} taken out of rotation for 10 s ({Cause})")]
    private partial void LogEjected(string app, int index, AttemptOutcome cause);
}
