using Granary.Silo.Auth;
using Granary.Users;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Granary.Silo.Apis;

/// <summary>POST /v1/auth/login: a user's name and password.</summary>
public sealed record LoginBody(string? Username, string? Password);

/// <summary>POST /v1/auth/refresh: the refresh token of the last login or refresh.</summary>
public sealed record RefreshBody(string? RefreshToken);

/// <summary>A user as the API shows it.</summary>
public sealed record UserView(Guid Id, string Name, bool Admin, DateTimeOffset CreatedAt, string CreatedBy)
{
    public static UserView From(UserInfo user) => new(user.Id, user.Name, user.Admin, user.CreatedAt, user.CreatedBy);
}

/// <summary>Tokens from a login or refresh; send the access token as 'Authorization: Bearer …'.</summary>
public sealed record TokenView(string AccessToken, DateTimeOffset AccessExpiresAt, string RefreshToken, DateTimeOffset RefreshExpiresAt, string TokenType, UserView User)
{
    public static TokenView From(SessionTokens tokens) =>
        new(tokens.AccessToken, tokens.AccessExpiresAt, tokens.RefreshToken, tokens.RefreshExpiresAt, "Bearer", UserView.From(tokens.User));
}

/// <summary>The signed-in caller.</summary>
public sealed record CallerView(string Name, bool Admin);

/// <summary>
/// /v1/auth: a user's name and password exchanged for an access token (short-lived) and a refresh token (used once,
/// then replaced), a refresh, a logout that ends the session at once, and who the caller is.
/// </summary>
public static class AuthApi
{
    private const string WrongCredentials = "The user name or password is wrong (names are lower case): check them, or ask an admin to reset the password with granary passwd NAME.";

    public static RouteGroupBuilder MapAuthApi(this RouteGroupBuilder v1)
    {
        var auth = v1.MapGroup("/auth").WithTags("Auth");
        auth.MapPost("/login", Login).AllowAnonymous();
        auth.MapPost("/refresh", Refresh).AllowAnonymous();
        auth.MapPost("/logout", Logout).RequireAuthorization(GranaryClaims.UserPolicy);
        auth.MapGet("/me", Me).RequireAuthorization(GranaryClaims.UserPolicy);
        return v1;
    }

    private static async Task<Results<Ok<TokenView>, ProblemHttpResult>> Login(LoginBody body, IGrainFactory grains)
    {
        if (string.IsNullOrEmpty(body.Username) || string.IsNullOrEmpty(body.Password))
            return TypedResults.Problem(statusCode: 400, title: "Missing credentials", detail: "Send {\"username\": NAME, \"password\": PASSWORD}.");
        var directory = grains.GetGrain<IUserDirectoryGrain>(IUserDirectoryGrain.Key);
        var user = await directory.CheckPassword(body.Username, body.Password);
        if (user is null)
            return TypedResults.Problem(statusCode: 401, title: "Login failed", detail: WrongCredentials);
        return TypedResults.Ok(TokenView.From(await directory.OpenSession(user.Id)));
    }

    private static async Task<Results<Ok<TokenView>, ProblemHttpResult>> Refresh(RefreshBody body, IGrainFactory grains)
    {
        if (!SessionTokenFormat.TryParse(body.RefreshToken, SessionTokenFormat.RefreshPrefix, out var session, out var secret))
            return TypedResults.Problem(statusCode: 400, title: "Not a refresh token", detail: "Send {\"refreshToken\": \"grt_…\"} as the last login or refresh returned it.");
        var tokens = await grains.GetGrain<ISessionGrain>(session).Refresh(secret);
        return tokens is null
            ? TypedResults.Problem(statusCode: 401, title: "Refresh failed", detail: "The refresh token was used already, has expired or was revoked (logout, a new password): log in again.")
            : TypedResults.Ok(TokenView.From(tokens));
    }

    /// <summary>Ends the caller's session: its access and refresh tokens stop working at once.</summary>
    private static async Task<NoContent> Logout(HttpContext http, IGrainFactory grains)
    {
        var session = GranaryClaims.SessionOf(http.User);
        if (session != Guid.Empty)
        {
            await grains.GetGrain<ISessionGrain>(session).Revoke();
            await grains.GetGrain<IUserDirectoryGrain>(IUserDirectoryGrain.Key).SessionEnded(GranaryClaims.UserOf(http.User), session);
        }

        return TypedResults.NoContent();
    }

    private static Ok<CallerView> Me(HttpContext http) =>
        TypedResults.Ok(new CallerView(GranaryClaims.NameOf(http.User), GranaryClaims.IsAdmin(http.User)));
}
