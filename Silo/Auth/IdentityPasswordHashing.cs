using Granary.Users;
using Microsoft.AspNetCore.Identity;

namespace Granary.Silo.Auth;

/// <summary>
/// <see cref="IPasswordHashing"/> with ASP.NET Core Identity's maintained hasher: its V3 format (PBKDF2 with
/// HMAC-SHA512, 100,000 iterations, a 128-bit random salt), which also tells when a stored hash is due for an upgrade.
/// </summary>
public sealed class IdentityPasswordHashing : IPasswordHashing
{
    private static readonly PasswordHasher<User> Hasher = new();

    public string Hash(string password) => Hasher.HashPassword(User.Instance, password);

    public (bool Matches, bool Rehash) Verify(string hash, string password)
    {
        try
        {
            return Hasher.VerifyHashedPassword(User.Instance, hash, password) switch
            {
                PasswordVerificationResult.Success => (true, false),
                PasswordVerificationResult.SuccessRehashNeeded => (true, true),
                _ => (false, false),
            };
        }
        catch (FormatException)
        {
            return (false, false);
        }
    }

    /// <summary>The hasher's user type; Identity's hasher does not read it.</summary>
    private sealed class User
    {
        public static readonly User Instance = new();
    }
}
