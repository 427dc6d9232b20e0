using System.Net;

namespace Granary.Cli.Api;

/// <summary>The API answered with an error; the message is the ProblemDetails detail (or title).</summary>
internal sealed class ApiException(HttpStatusCode status, string message) : CliException(message)
{
    public HttpStatusCode Status { get; } = status;
}
