namespace Granary.Users;

/// <summary>Token lifetimes, section <c>Granary:Auth</c>.</summary>
public sealed class AuthOptions
{
    public const string Section = "Granary:Auth";

    /// <summary>An access token works this long; the CLI refreshes it silently.</summary>
    public TimeSpan AccessTokenLifetime { get; set; } = TimeSpan.FromHours(1);

    /// <summary>A refresh token works once, within this long; each refresh hands out a new one.</summary>
    public TimeSpan RefreshTokenLifetime { get; set; } = TimeSpan.FromDays(30);

    /// <summary>A user's oldest sessions beyond this many are ended when a new one opens.</summary>
    public int MaxSessionsPerUser { get; set; } = 50;
}
