namespace Granary.Cli.Api;

internal sealed partial class GranaryApiClient
{
    public Task<TokenResponse> LoginAsync(string user, string password, CancellationToken ct) =>
        SendForJsonAsync(HttpMethod.Post, "v1/auth/login", Json(new LoginRequest(user, password), Ctx.LoginRequest), Ctx.TokenResponse, ct);

    public Task<TokenResponse> RefreshAsync(string refreshToken, CancellationToken ct) =>
        SendForJsonAsync(HttpMethod.Post, "v1/auth/refresh", Json(new RefreshRequest(refreshToken), Ctx.RefreshRequest), Ctx.TokenResponse, ct);

    public Task LogoutAsync(CancellationToken ct) => SendForTextAsync(HttpMethod.Post, "v1/auth/logout", null, ct);

    public Task<CallerEntry> MeAsync(CancellationToken ct) =>
        SendForJsonAsync(HttpMethod.Get, "v1/auth/me", null, Ctx.CallerEntry, ct);

    public async Task<(List<UserEntry> Users, string Raw)> ListUsersAsync(CancellationToken ct)
    {
        var raw = await SendForTextAsync(HttpMethod.Get, "v1/users", null, ct);
        return (Deserialize(raw, Ctx.ListUserEntry, "v1/users"), raw);
    }

    public Task<UserEntry> CreateUserAsync(string name, string password, bool admin, CancellationToken ct) =>
        SendForJsonAsync(HttpMethod.Post, "v1/users", Json(new CreateUserRequest(name, password, admin), Ctx.CreateUserRequest), Ctx.UserEntry, ct);

    public Task DeleteUserAsync(string name, CancellationToken ct) =>
        SendForTextAsync(HttpMethod.Delete, $"v1/users/{Uri.EscapeDataString(name)}", null, ct);

    public Task SetPasswordAsync(string name, string password, string? currentPassword, CancellationToken ct) =>
        SendForTextAsync(HttpMethod.Put, $"v1/users/{Uri.EscapeDataString(name)}/password",
            Json(new SetPasswordRequest(password, currentPassword), Ctx.SetPasswordRequest), ct);
}
