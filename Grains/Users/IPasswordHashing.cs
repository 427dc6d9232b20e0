namespace Granary.Users;

/// <summary>
/// Slow salted password hashes, implemented in the silo with ASP.NET Core Identity's <c>PasswordHasher</c>
/// (PBKDF2-HMAC-SHA512, 100,000 iterations, a random salt per hash): grains never reference ASP.NET Core.
/// </summary>
public interface IPasswordHashing
{
    string Hash(string password);

    /// <summary>Whether the password matches; <c>Rehash</c> when it does but the hash uses older parameters.</summary>
    (bool Matches, bool Rehash) Verify(string hash, string password);
}
