namespace Granary.Users;

/// <summary>
/// The cluster's users: names (unique cluster-wide), salted slow password hashes, the admin flag, and each user's
/// open sessions so a deleted user or a changed password ends them all. One grain, key <c>cluster</c>.
/// </summary>
public interface IUserDirectoryGrain : IGrainWithStringKey
{
    public const string Key = "cluster";

    /// <summary>Creates a user; throws <see cref="UserConflictException"/> if the name is taken, <see cref="InvalidUserException"/> for a bad name or password.</summary>
    Task<UserInfo> Create(string name, string password, bool admin, string actor);

    Task<IReadOnlyList<UserInfo>> List();

    /// <summary>Deletes the user and ends its sessions; the last admin cannot be deleted.</summary>
    Task Delete(string name, string actor);

    /// <summary>Sets a new password and ends every session of the user (the caller logs in again).</summary>
    Task SetPassword(string name, string password, string actor);

    /// <summary>The user if the password is theirs, else null (unknown names take as long as wrong passwords).</summary>
    Task<UserInfo?> CheckPassword(string name, string password);

    /// <summary>Opens a session for a user whose password was just checked, returning its first tokens.</summary>
    Task<SessionTokens> OpenSession(Guid userId);

    /// <summary>Forgets a session that ended (logout); the session grain has already dropped its tokens.</summary>
    Task SessionEnded(Guid userId, Guid sessionId);
}
