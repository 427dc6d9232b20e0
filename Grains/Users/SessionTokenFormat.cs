using System.Security.Cryptography;
using System.Text;

namespace Granary.Users;

/// <summary>
/// Pure: Granary's tokens are opaque, <c>gat_SESSION_SECRET</c> (access) and <c>grt_SESSION_SECRET</c> (refresh),
/// with 32 random bytes of secret. They are stored only as SHA-256 hashes in their session grain. Opaque tokens
/// rather than signed JWTs because every API call already goes through grains, so checking one costs a call to an
/// activation in memory, while revocation (logout, a deleted user, a changed password) takes effect at once and
/// no signing key has to be shared with every controller and rotated.
/// </summary>
public static class SessionTokenFormat
{
    public const string AccessPrefix = "gat_";
    public const string RefreshPrefix = "grt_";

    /// <summary>A new token for <paramref name="sessionId"/> and the hash of its secret, the only part stored.</summary>
    public static (string Token, string SecretHash) Issue(string prefix, Guid sessionId)
    {
        var secret = Base64UrlEncode(RandomNumberGenerator.GetBytes(32));
        return ($"{prefix}{sessionId:N}_{secret}", Hash(secret));
    }

    /// <summary>Splits a presented token into its session and secret; false when it is not one of ours.</summary>
    public static bool TryParse(string? token, string prefix, out Guid sessionId, out string secret)
    {
        sessionId = Guid.Empty;
        secret = "";
        if (token is null || !token.StartsWith(prefix, StringComparison.Ordinal) || token.Length < prefix.Length + 33)
            return false;
        var rest = token.AsSpan(prefix.Length);
        if (rest[32] != '_' || !Guid.TryParseExact(rest[..32], "N", out sessionId))
            return false;
        secret = rest[33..].ToString();
        return secret.Length > 0;
    }

    public static string Hash(string secret) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));

    /// <summary>Compares a presented secret with a stored hash in time that does not depend on where they differ.</summary>
    public static bool Matches(string secret, string storedHash) =>
        storedHash.Length > 0
        && CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Hash(secret)), Encoding.ASCII.GetBytes(storedHash));

    private static string Base64UrlEncode(byte[] bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
