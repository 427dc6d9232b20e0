using System.Security.Cryptography;

namespace Granary.Tests.Edge.Conformance;

/// <summary>Counts and hashes a body; keeps it while small (to read JSON or compare a prefix).</summary>
internal sealed class ResponseBodySink(long? readAtMost) : IDisposable
{
    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private MemoryStream? _kept = new();

    public long Length { get; private set; }

    public bool Full => readAtMost is { } most && Length >= most;

    /// <summary>Takes up to <paramref name="bytes"/>' length (less once full); returns how many it took.</summary>
    public int Add(ReadOnlySpan<byte> bytes)
    {
        if (readAtMost is { } most)
        {
            bytes = bytes[..(int)Math.Min(bytes.Length, most - Length)];
        }

        _hash.AppendData(bytes);
        Length += bytes.Length;
        if (Length > RawResponse.KeptBodyLimit)
        {
            _kept = null;
        }

        _kept?.Write(bytes);
        return bytes.Length;
    }

    public string Sha256() => Convert.ToHexStringLower(_hash.GetHashAndReset());

    public byte[]? Kept() => _kept?.ToArray();

    public void Dispose() => _hash.Dispose();
}
