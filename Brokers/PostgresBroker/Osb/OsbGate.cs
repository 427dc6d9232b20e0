using Granary.Brokers.Postgres.Hosting;
using Microsoft.Extensions.Options;

namespace Granary.Brokers.Postgres.Osb;

/// <summary>
/// Every /v2 request: Basic auth first (401, so nothing is revealed to strangers), then the API version
/// header (412). The request identity header is echoed back, as the spec recommends.
/// </summary>
public sealed class OsbGate(IOptions<BrokerOptions> options) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        if (http.Request.Headers.TryGetValue("X-Broker-API-Request-Identity", out var requestId))
            http.Response.Headers["X-Broker-API-Request-Identity"] = requestId;
        var o = options.Value;
        if (!BasicAuth.Matches(http.Request.Headers.Authorization, o.Username, o.Password))
        {
            http.Response.Headers.WWWAuthenticate = "Basic realm=\"granary-postgres-broker\"";
            return OsbErrors.Error(StatusCodes.Status401Unauthorized, "Basic authentication with the broker's user name and password is required.");
        }
        var versionProblem = ApiVersionPolicy.Problem(http.Request.Headers[ApiVersionPolicy.HeaderName]);
        if (versionProblem is not null)
            return OsbErrors.Error(StatusCodes.Status412PreconditionFailed, versionProblem);
        return await next(context);
    }
}
