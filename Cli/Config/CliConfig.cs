namespace Granary.Cli.Config;

/// <summary>
/// The contents of <c>config.json</c> in the Granary home. <c>Token</c> is what the CLI sends: a user's access token
/// (<c>granary login -u</c>, refreshed silently with <c>RefreshToken</c> before <c>TokenExpiresAt</c>) or an admin token.
/// </summary>
internal sealed record CliConfig(
    string? Api = null,
    string? Token = null,
    string? Edge = null,
    string? RefreshToken = null,
    DateTimeOffset? TokenExpiresAt = null,
    string? User = null,
    string? Org = null,
    string? Space = null,
    string? SpaceId = null)
{
    public const string DefaultApi = "http://127.0.0.1:7700";

    /// <summary>The same config without any credential (after logout, or before a new login).</summary>
    public CliConfig LoggedOut() => this with { Token = null, RefreshToken = null, TokenExpiresAt = null, User = null };
}
