namespace Granary.Cluster;

/// <summary>
/// Join tokens (<c>granary node join-token</c>): they let a new node read what it needs to join the cluster and nothing
/// else, for a limited time, so the admin's own credentials never travel to other machines. Stored only as hashes.
/// One grain, key <c>cluster</c>.
/// </summary>
public interface IJoinTokenGrain : IGrainWithStringKey
{
    public const string Key = "cluster";

    public const string Prefix = "gjt_";

    /// <summary>A new token, valid for <paramref name="lifetime"/>, and when it expires.</summary>
    Task<JoinTokenIssued> Issue(TimeSpan lifetime, string actor);

    /// <summary>Whether the secret of token <paramref name="id"/> is valid now.</summary>
    Task<bool> Check(Guid id, string secret);
}

[GenerateSerializer, Immutable, Alias("granary.join-token-issued")]
public sealed record JoinTokenIssued([property: Id(0)] string Token, [property: Id(1)] DateTimeOffset ExpiresAt);
