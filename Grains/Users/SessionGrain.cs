using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Granary.Users;

/// <summary>What a session stores: hashes of its current tokens, never the tokens.</summary>
public sealed record SessionState
{
    public Guid UserId { get; init; }

    public string UserName { get; init; } = "";

    public bool Admin { get; init; }

    public string AccessHash { get; init; } = "";

    public DateTimeOffset AccessExpiresAt { get; init; }

    public string RefreshHash { get; init; } = "";

    public DateTimeOffset RefreshExpiresAt { get; init; }

    public UserInfo? User { get; init; }
}

/// <summary>One login (see <see cref="ISessionGrain"/>); its tokens are described in <see cref="SessionTokenFormat"/>.</summary>
public sealed partial class SessionGrain(
    [PersistentState("session", GrainStorage.Name)] IPersistentState<SessionState> state,
    IOptions<AuthOptions> options,
    TimeProvider time,
    ILogger<SessionGrain> logger) : Grain, ISessionGrain
{
    private Guid Id => this.GetPrimaryKey();

    public async Task<SessionTokens> Start(UserInfo user)
    {
        var tokens = await IssueAsync(user);
        LogStarted(Id, user.Name);
        return tokens;
    }

    public Task<Caller?> Authenticate(string accessSecret)
    {
        var session = state.State;
        var valid = state.RecordExists && time.GetUtcNow() < session.AccessExpiresAt && SessionTokenFormat.Matches(accessSecret, session.AccessHash);
        return Task.FromResult(valid ? new Caller(session.UserId, session.UserName, session.Admin, Id) : null);
    }

    public async Task<SessionTokens?> Refresh(string refreshSecret)
    {
        var session = state.State;
        if (!state.RecordExists || session.User is null || time.GetUtcNow() >= session.RefreshExpiresAt
            || !SessionTokenFormat.Matches(refreshSecret, session.RefreshHash))
        {
            return null;
        }

        return await IssueAsync(session.User);
    }

    public async Task Revoke()
    {
        if (state.RecordExists)
        {
            await state.ClearStateAsync();
            LogRevoked(Id);
        }

        DeactivateOnIdle();
    }

    private async Task<SessionTokens> IssueAsync(UserInfo user)
    {
        var now = time.GetUtcNow();
        var (access, accessHash) = SessionTokenFormat.Issue(SessionTokenFormat.AccessPrefix, Id);
        var (refresh, refreshHash) = SessionTokenFormat.Issue(SessionTokenFormat.RefreshPrefix, Id);
        var tokens = new SessionTokens(access, now + options.Value.AccessTokenLifetime, refresh, now + options.Value.RefreshTokenLifetime, user);
        // Tokens that were not stored must not work here either: the caller was told it failed.
        await state.WriteOrRevertAsync(new SessionState
        {
            UserId = user.Id,
            UserName = user.Name,
            Admin = user.Admin,
            User = user,
            AccessHash = accessHash,
            AccessExpiresAt = tokens.AccessExpiresAt,
            RefreshHash = refreshHash,
            RefreshExpiresAt = tokens.RefreshExpiresAt,
        });
        return tokens;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Session {Session} started for {User}")]
    private partial void LogStarted(Guid session, string user);

    [LoggerMessage(Level = LogLevel.Information, Message = "Session {Session} ended")]
    private partial void LogRevoked(Guid session);
}
