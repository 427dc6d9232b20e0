using System.Collections.Immutable;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Granary.Users;

/// <summary>One stored user; <c>PasswordHash</c> is the slow salted hash, never the password.</summary>
public sealed record StoredUser
{
    public Guid Id { get; init; }

    public string Name { get; init; } = "";

    public string PasswordHash { get; init; } = "";

    public bool Admin { get; init; }

    public DateTimeOffset CreatedAt { get; init; }

    public string CreatedBy { get; init; } = "";

    public DateTimeOffset PasswordChangedAt { get; init; }

    /// <summary>Open sessions, oldest first, so a deleted user or a new password ends them all.</summary>
    public ImmutableArray<Guid> Sessions { get; init; } = [];

    public UserInfo ToInfo() => new(Id, Name, Admin, CreatedAt, CreatedBy);
}

/// <summary>What the user directory stores: every user by (lower-case) name.</summary>
public sealed record UserDirectoryState
{
    public ImmutableSortedDictionary<string, StoredUser> Users { get; init; } = ImmutableSortedDictionary<string, StoredUser>.Empty;
}

/// <summary>The cluster's users (see <see cref="IUserDirectoryGrain"/>).</summary>
public sealed partial class UserDirectoryGrain(
    [PersistentState("users", GrainStorage.Name)] IPersistentState<UserDirectoryState> state,
    IPasswordHashing hashing,
    IOptions<AuthOptions> options,
    TimeProvider time,
    ILogger<UserDirectoryGrain> logger) : Grain, IUserDirectoryGrain
{
    // Checked against when the name is unknown, so a wrong name costs as much time as a wrong password.
    private readonly Lazy<string> _decoyHash = new(() => hashing.Hash(Guid.NewGuid().ToString()));

    public async Task<UserInfo> Create(string name, string password, bool admin, string actor)
    {
        name = UserRules.NormalizeName(name);
        UserRules.Validate(name, password);
        if (state.State.Users.ContainsKey(name))
            throw new UserConflictException($"a user named '{name}' exists already: pick another name");
        var now = time.GetUtcNow();
        var user = new StoredUser
        {
            Id = Guid.NewGuid(),
            Name = name,
            PasswordHash = hashing.Hash(password),
            Admin = admin,
            CreatedAt = now,
            CreatedBy = actor,
            PasswordChangedAt = now,
        };
        await SaveAsync(state.State with { Users = state.State.Users.Add(name, user) });
        LogCreated(name, admin, actor);
        return user.ToInfo();
    }

    public Task<IReadOnlyList<UserInfo>> List() =>
        Task.FromResult<IReadOnlyList<UserInfo>>([.. state.State.Users.Values.Select(u => u.ToInfo())]);

    public async Task Delete(string name, string actor)
    {
        var user = Find(name);
        if (user.Admin && state.State.Users.Values.Count(u => u.Admin) == 1)
            throw new UserConflictException($"'{user.Name}' is the last admin: make another admin before deleting it");
        await SaveAsync(state.State with { Users = state.State.Users.Remove(user.Name) });
        await EndSessionsAsync(user.Sessions);
        LogDeleted(user.Name, actor);
    }

    public async Task SetPassword(string name, string password, string actor)
    {
        var user = Find(name);
        UserRules.ValidatePassword(password);
        var changed = user with { PasswordHash = hashing.Hash(password), PasswordChangedAt = time.GetUtcNow(), Sessions = [] };
        await SaveAsync(state.State with { Users = state.State.Users.SetItem(user.Name, changed) });
        await EndSessionsAsync(user.Sessions);
        LogPasswordSet(user.Name, actor);
    }

    public async Task<UserInfo?> CheckPassword(string name, string password)
    {
        if (!state.State.Users.TryGetValue(UserRules.NormalizeName(name), out var user))
        {
            hashing.Verify(_decoyHash.Value, password ?? "");
            return null;
        }

        var (matches, rehash) = hashing.Verify(user.PasswordHash, password ?? "");
        if (matches && rehash)
        {
            await SaveAsync(state.State with { Users = state.State.Users.SetItem(user.Name, user with { PasswordHash = hashing.Hash(password!) }) });
        }

        return matches ? user.ToInfo() : null;
    }

    public async Task<SessionTokens> OpenSession(Guid userId)
    {
        var user = state.State.Users.Values.FirstOrDefault(u => u.Id == userId)
            ?? throw new UserNotFoundException("the user was deleted: ask an admin");
        var sessionId = Guid.NewGuid();
        var sessions = user.Sessions.Add(sessionId);
        var dropped = sessions.Length > options.Value.MaxSessionsPerUser ? sessions[..^options.Value.MaxSessionsPerUser] : [];
        await SaveAsync(state.State with { Users = state.State.Users.SetItem(user.Name, user with { Sessions = sessions[dropped.Length..] }) });
        await EndSessionsAsync(dropped);
        return await GrainFactory.GetGrain<ISessionGrain>(sessionId).Start(user.ToInfo());
    }

    public async Task SessionEnded(Guid userId, Guid sessionId)
    {
        var user = state.State.Users.Values.FirstOrDefault(u => u.Id == userId);
        if (user is not null && user.Sessions.Contains(sessionId))
            await SaveAsync(state.State with { Users = state.State.Users.SetItem(user.Name, user with { Sessions = user.Sessions.Remove(sessionId) }) });
    }

    private StoredUser Find(string name) =>
        state.State.Users.GetValueOrDefault(UserRules.NormalizeName(name))
        ?? throw new UserNotFoundException($"there is no user named '{UserRules.NormalizeName(name)}' (granary users lists them)");

    private Task SaveAsync(UserDirectoryState next) => state.WriteOrRevertAsync(next);

    private async Task EndSessionsAsync(IEnumerable<Guid> sessions)
    {
        foreach (var session in sessions)
            await GrainFactory.GetGrain<ISessionGrain>(session).Revoke();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "User {User} created (admin: {Admin}) by {Actor}")]
    private partial void LogCreated(string user, bool admin, string actor);

    [LoggerMessage(Level = LogLevel.Information, Message = "User {User} deleted by {Actor}")]
    private partial void LogDeleted(string user, string actor);

    [LoggerMessage(Level = LogLevel.Information, Message = "Password of {User} set by {Actor}; its sessions ended")]
    private partial void LogPasswordSet(string user, string actor);
}
