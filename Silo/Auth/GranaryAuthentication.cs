using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using Granary.Silo.Hosting;
using Granary.Users;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace Granary.Silo.Auth;

/// <summary>
/// Who is calling: a user's access token (<c>granary login</c>; see <see cref="SessionTokenFormat"/>), or the node's
/// admin token (the cluster's bootstrap credential, which acts as the admin). Either is taken as a bearer token
/// (API clients) or as the password of HTTP Basic auth (so a browser can open the dashboard with its own prompt).
/// </summary>
public sealed class GranaryAuthentication(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory loggerFactory,
    UrlEncoder encoder,
    NodeSettings node,
    IGrainFactory grains,
    IProblemDetailsService problems)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, loggerFactory, encoder)
{
    public const string SchemeName = "Granary";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers.Authorization.ToString();
        if (header.Length == 0)
        {
            return AuthenticateResult.NoResult();
        }

        var presented = PresentedToken(header);
        if (SessionTokenFormat.TryParse(presented, SessionTokenFormat.AccessPrefix, out var session, out var secret))
        {
            var caller = await grains.GetGrain<ISessionGrain>(session).Authenticate(secret);
            return caller is null ? AuthenticateResult.Fail("the token is not valid or has expired") : Success(caller);
        }

        if (SessionTokenFormat.TryParse(presented, Granary.Cluster.IJoinTokenGrain.Prefix, out var joinId, out var joinSecret))
        {
            // A join token is no user: it may read what a joining node needs (GranaryClaims.JoinPolicy), nothing else.
            return await grains.GetGrain<Granary.Cluster.IJoinTokenGrain>(Granary.Cluster.IJoinTokenGrain.Key).Check(joinId, joinSecret)
                ? AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(new ClaimsIdentity(
                    [new Claim(ClaimTypes.Name, "join-token"), new Claim(ClaimTypes.Role, GranaryClaims.JoinerRole)], SchemeName)), SchemeName))
                : AuthenticateResult.Fail("the join token is not valid or has expired");
        }

        if (presented is null || node.AdminToken.Length == 0 || !FixedTimeEquals(presented, node.AdminToken))
        {
            return AuthenticateResult.Fail("the token is not valid");
        }

        return Success(new Caller(Guid.Empty, "admin", Admin: true, Guid.Empty));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = Request.Path.StartsWithSegments("/dashboard")
            ? "Basic realm=\"Granary\""
            : "Bearer";
        var failed = Request.Headers.Authorization.Count > 0;
        await WriteProblemAsync(StatusCodes.Status401Unauthorized, "Not authenticated", failed
            ? "The token is not valid or has expired: run ./granary login again (or refresh it with POST /v1/auth/refresh)."
            : "Send a token as 'Authorization: Bearer TOKEN': ./granary login -u NAME stores one for the CLI, POST /v1/auth/login hands one out.");
    }

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        WriteProblemAsync(StatusCodes.Status403Forbidden, "Forbidden",
            $"This needs the cluster admin role, which user '{Context.User.Identity?.Name}' does not have: ask a cluster admin.");

    private static AuthenticateResult Success(Caller caller)
    {
        List<Claim> claims =
        [
            new(ClaimTypes.Name, caller.Name),
            new(GranaryClaims.UserId, caller.UserId.ToString()),
            new(GranaryClaims.SessionId, caller.SessionId.ToString()),
        ];
        if (caller.Admin)
        {
            claims.Add(new Claim(ClaimTypes.Role, GranaryClaims.AdminRole));
        }

        var principal = new ClaimsPrincipal(new ClaimsIdentity(claims, SchemeName));
        return AuthenticateResult.Success(new AuthenticationTicket(principal, SchemeName));
    }

    private Task WriteProblemAsync(int status, string title, string detail)
    {
        Response.StatusCode = status;
        return problems.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = Context,
            ProblemDetails = { Status = status, Title = title, Detail = detail },
        }).AsTask();
    }

    private static string? PresentedToken(string header)
    {
        if (header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return header["Bearer ".Length..].Trim();
        }

        if (header.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
        {
            try
            {
                var pair = Encoding.UTF8.GetString(Convert.FromBase64String(header["Basic ".Length..].Trim()));
                var colon = pair.IndexOf(':');
                return colon >= 0 ? pair[(colon + 1)..] : null;
            }
            catch (FormatException)
            {
                return null;
            }
        }

        return null;
    }

    private static bool FixedTimeEquals(string presented, string expected) =>
        CryptographicOperations.FixedTimeEquals(
            SHA256.HashData(Encoding.UTF8.GetBytes(presented)),
            SHA256.HashData(Encoding.UTF8.GetBytes(expected)));
}
