namespace Granary.Cli.Api;

internal sealed record UserEntry(Guid Id, string Name, bool Admin, DateTimeOffset CreatedAt, string CreatedBy);

internal sealed record TokenResponse(string AccessToken, DateTimeOffset AccessExpiresAt, string RefreshToken, DateTimeOffset RefreshExpiresAt, string TokenType, UserEntry User);

internal sealed record CallerEntry(string Name, bool Admin);

internal sealed record LoginRequest(string Username, string Password);

internal sealed record RefreshRequest(string RefreshToken);

internal sealed record CreateUserRequest(string Name, string Password, bool Admin);

internal sealed record SetPasswordRequest(string Password, string? CurrentPassword);
