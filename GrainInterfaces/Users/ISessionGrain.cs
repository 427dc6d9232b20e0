namespace Granary.Users;

/// <summary>
/// One login: the hashes of its current access and refresh tokens, their expiry, and who it is for. Keyed by the
/// session id that the tokens carry, so checking a token is one call to an activation already in memory.
/// </summary>
public interface ISessionGrain : IGrainWithGuidKey
{
    /// <summary>Starts the session for <paramref name="user"/> and returns its first tokens.</summary>
    Task<SessionTokens> Start(UserInfo user);

    /// <summary>The caller, if <paramref name="accessSecret"/> is this session's current, unexpired access token.</summary>
    Task<Caller?> Authenticate(string accessSecret);

    /// <summary>New tokens for a valid refresh token (both are replaced: a refresh token works once); null otherwise.</summary>
    Task<SessionTokens?> Refresh(string refreshSecret);

    /// <summary>Ends the session: neither of its tokens works from now on.</summary>
    Task Revoke();
}
