using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;

namespace Granary.Brokers.Postgres.Osb;

/// <summary>HTTP Basic credentials as the OSB spec requires of platforms, compared in constant time.</summary>
public static class BasicAuth
{
    public static bool Matches(string? authorization, string username, string password)
    {
        if (authorization is null || !AuthenticationHeaderValue.TryParse(authorization, out var header)
            || !string.Equals(header.Scheme, "Basic", StringComparison.OrdinalIgnoreCase) || header.Parameter is null)
            return false;
        byte[] decoded;
        try { decoded = Convert.FromBase64String(header.Parameter); }
        catch (FormatException) { return false; }
        var expected = Encoding.UTF8.GetBytes($"{username}:{password}");
        // Hash both sides so the comparison takes the same time whatever the lengths.
        return CryptographicOperations.FixedTimeEquals(SHA256.HashData(decoded), SHA256.HashData(expected));
    }
}
