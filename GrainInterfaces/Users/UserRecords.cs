namespace Granary.Users;

/// <summary>A user as the API shows it: never a password or a hash.</summary>
[GenerateSerializer, Immutable, Alias("granary.user")]
public sealed record UserInfo(
    [property: Id(0)] Guid Id,
    [property: Id(1)] string Name,
    [property: Id(2)] bool Admin,
    [property: Id(3)] DateTimeOffset CreatedAt,
    [property: Id(4)] string CreatedBy);

/// <summary>What a login or a refresh hands out. The tokens are shown once and stored only as hashes.</summary>
[GenerateSerializer, Immutable, Alias("granary.session-tokens")]
public sealed record SessionTokens(
    [property: Id(0)] string AccessToken,
    [property: Id(1)] DateTimeOffset AccessExpiresAt,
    [property: Id(2)] string RefreshToken,
    [property: Id(3)] DateTimeOffset RefreshExpiresAt,
    [property: Id(4)] UserInfo User);

/// <summary>Who is calling, as a valid access token says.</summary>
[GenerateSerializer, Immutable, Alias("granary.caller")]
public sealed record Caller(
    [property: Id(0)] Guid UserId,
    [property: Id(1)] string Name,
    [property: Id(2)] bool Admin,
    [property: Id(3)] Guid SessionId);

/// <summary>No user of that name.</summary>
[GenerateSerializer, Alias("granary.user-not-found")]
public sealed class UserNotFoundException(string message) : Exception(message);

/// <summary>The name is taken, or the change would leave the cluster without an admin; the message says which.</summary>
[GenerateSerializer, Alias("granary.user-conflict")]
public sealed class UserConflictException(string message) : Exception(message);

/// <summary>A name or password breaks a rule; the message says which and what to do.</summary>
[GenerateSerializer, Alias("granary.invalid-user")]
public sealed class InvalidUserException(string message) : Exception(message);
