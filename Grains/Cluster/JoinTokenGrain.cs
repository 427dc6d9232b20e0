using System.Collections.Immutable;
using Granary.Users;
using Microsoft.Extensions.Logging;

namespace Granary.Cluster;

/// <summary>What the join token grain stores: each token's hash and expiry, never the token.</summary>
public sealed record JoinTokenState
{
    public ImmutableSortedDictionary<Guid, StoredJoinToken> Tokens { get; init; } = ImmutableSortedDictionary<Guid, StoredJoinToken>.Empty;
}

public sealed record StoredJoinToken(string SecretHash, DateTimeOffset ExpiresAt, string IssuedBy);

/// <summary>Join tokens (see <see cref="IJoinTokenGrain"/>), in the same opaque form as session tokens.</summary>
public sealed partial class JoinTokenGrain(
    [PersistentState("join-tokens", GrainStorage.Name)] IPersistentState<JoinTokenState> state,
    TimeProvider time,
    ILogger<JoinTokenGrain> logger) : Grain, IJoinTokenGrain
{
    public static readonly TimeSpan MaxLifetime = TimeSpan.FromDays(7);

    public async Task<JoinTokenIssued> Issue(TimeSpan lifetime, string actor)
    {
        if (lifetime <= TimeSpan.Zero || lifetime > MaxLifetime)
            throw new ArgumentOutOfRangeException(nameof(lifetime), $"a join token lives from 1 second to {MaxLifetime.TotalDays:0} days");
        var now = time.GetUtcNow();
        var id = Guid.NewGuid();
        var (token, hash) = SessionTokenFormat.Issue(IJoinTokenGrain.Prefix, id);
        var expires = now + lifetime;
        // Expired tokens go as new ones come, so the record stays small.
        var kept = state.State.Tokens.Where(t => t.Value.ExpiresAt > now).ToImmutableSortedDictionary();
        state.State = new JoinTokenState { Tokens = kept.Add(id, new StoredJoinToken(hash, expires, actor)) };
        await state.WriteStateAsync();
        LogIssued(actor, expires);
        return new JoinTokenIssued(token, expires);
    }

    public Task<bool> Check(Guid id, string secret) =>
        Task.FromResult(state.State.Tokens.TryGetValue(id, out var stored)
            && time.GetUtcNow() < stored.ExpiresAt
            && SessionTokenFormat.Matches(secret, stored.SecretHash));

    [LoggerMessage(Level = LogLevel.Information, Message = "Join token issued by {Actor}, valid until {ExpiresAt}")]
    private partial void LogIssued(string actor, DateTimeOffset expiresAt);
}
