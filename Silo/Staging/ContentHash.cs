using System.Security.Cryptography;

namespace Granary.Silo.Staging;

/// <summary>SHA-256 content ids: 64 lowercase hex characters, the only form accepted from users.</summary>
internal static class ContentHash
{
    public static bool IsValid(string? id) =>
        id is { Length: 64 } && id.All(c => char.IsAsciiDigit(c) || c is >= 'a' and <= 'f');

    public static string ToId(byte[] hash) => Convert.ToHexStringLower(hash);

    /// <summary>Copies <paramref name="source"/> to <paramref name="destination"/>, hashing on the way; stops past <paramref name="maxBytes"/>.</summary>
    public static async Task<(string Hash, long Bytes, bool TooLarge)> CopyAsync(
        Stream source, Stream destination, long maxBytes, CancellationToken cancellationToken)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[81920];
        long total = 0;
        int read;
        while ((read = await source.ReadAsync(buffer, cancellationToken)) > 0)
        {
            total += read;
            if (total > maxBytes)
            {
                return ("", total, true);
            }

            sha.AppendData(buffer, 0, read);
            await destination.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
        }

        return (ToId(sha.GetHashAndReset()), total, false);
    }

    public static async Task<string> OfFileAsync(string path, CancellationToken cancellationToken)
    {
        await using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, useAsync: true);
        return ToId(await SHA256.HashDataAsync(file, cancellationToken));
    }
}
