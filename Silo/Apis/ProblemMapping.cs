using System.Text.Json;
using Granary.Apps;
using Granary.Cluster;
using Granary.Silo.Persistence;
using Granary.Silo.Staging;
using Microsoft.AspNetCore.Diagnostics;

namespace Granary.Silo.Apis;

/// <summary>
/// Turns every exception an endpoint lets escape into ProblemDetails a person can act on. Unexpected
/// ones become a 500 that names the trace id, never a stack trace.
/// </summary>
public sealed partial class ProblemMapping(IProblemDetailsService problems, ILogger<ProblemMapping> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
    {
        var (status, title, detail) = Describe(exception);
        if (status >= 500)
        {
            // The same id the ProblemDetails body carries, so "search for the trace id" finds this line.
            LogUnexpected(exception, context.Request.Method, context.Request.Path,
                System.Diagnostics.Activity.Current?.Id ?? context.TraceIdentifier);
        }

        context.Response.StatusCode = status;
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            Exception = exception,
            ProblemDetails = { Status = status, Title = title, Detail = detail },
        });
    }

    public static (int Status, string Title, string Detail) Describe(Exception exception) => exception switch
    {
        AppNotFoundException e => (404, "App not found", e.Message),
        NodeNotFoundException e => (404, "Node not found", e.Message),
        Granary.Users.UserNotFoundException e => (404, "User not found", e.Message),
        Granary.Silo.Auth.ForbiddenException e => (403, "Forbidden", e.Message),
        Granary.Tenancy.TenancyNotFoundException e => (404, "Not found", e.Message),
        Granary.Tenancy.TenancyConflictException e => (409, "Conflict", e.Message),
        Granary.Tenancy.InvalidTenancyException e => (422, "Invalid name or role", e.Message),
        Granary.Tenancy.QuotaExceededException e => (422, "Quota exceeded", e.Message),
        Granary.Users.UserConflictException e => (409, "User conflict", e.Message),
        Granary.Users.InvalidUserException e => (422, "Invalid user", e.Message),
        AppNameTakenException e => (409, "Name taken", e.Message),
        Granary.Routes.RouteTakenException e => (409, "Route taken", e.Message),
        BuildInProgressException e => (409, "Build in progress", e.Message),
        InvalidAppException e => (422, "Invalid app", e.Message),
        PackageRejectedException e => (e.StatusCode, e.Title, e.Detail),
        Granary.Services.ServiceNotFoundException e => (404, "Service not found", e.Message),
        Granary.Services.ServiceConflictException e => (409, "Service conflict", e.Message),
        Granary.Services.InvalidServiceRequestException e => (422, "Invalid service request", e.Message),
        Granary.Services.ServiceBrokerException e => (502, "Service broker failed", e.Message),
        BadHttpRequestException { StatusCode: 413 } => (413, "Upload too large", "the request body is larger than this endpoint accepts"),
        BadHttpRequestException { InnerException: JsonException json } => (400, "Malformed JSON", JsonProblem(json)),
        BadHttpRequestException e => (e.StatusCode, "Bad request", e.Message),
        JsonException e => (400, "Malformed JSON", JsonProblem(e)),
        NodeUnavailableException e => (503, "Node unavailable", e.Message),
        _ when DatabaseOutage.Involves(exception) => (503, DatabaseOutage.Title, DatabaseOutage.Detail),
        TimeoutException or OrleansException =>
            (503, "Control plane unavailable", "the control plane did not answer in time; try again in a moment"),
        _ => (500, "Internal error", "Granary hit an unexpected error; the silo log has the details (search for the trace id)"),
    };

    private static string JsonProblem(JsonException e) =>
        $"the request body is not valid: {e.Message.Split(" Path:")[0]}{(e.Path is { Length: > 1 } path ? $" (at {path})" : "")}";

    [LoggerMessage(Level = LogLevel.Error, Message = "Unhandled error on {Method} {Path} (trace {TraceId})")]
    private partial void LogUnexpected(Exception exception, string method, string path, string traceId);
}
