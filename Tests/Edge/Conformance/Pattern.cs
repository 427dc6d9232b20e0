using System.Security.Cryptography;

namespace Granary.Tests.Edge.Conformance;

/// <summary>
/// The bytes app/server.js generates: byte i of a body is <see cref="ByteAt"/>(i). Its period is no power of two,
/// so a body shifted or spliced at a buffer boundary does not hash the same.
/// </summary>
internal static class Pattern
{
    public const int Period = 65521;

    public const int FiftyMegabytes = 50 * 1024 * 1024;

    public static byte ByteAt(long offset) => (byte)(((offset % Period) * 31 + 7) & 0xff);

    public static byte[] Bytes(int length)
    {
        var bytes = new byte[length];
        for (var i = 0; i < length; i++)
        {
            bytes[i] = ByteAt(i);
        }

        return bytes;
    }

    public static string Sha256Of(ReadOnlySpan<byte> bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    /// <summary>Where <paramref name="body"/> first departs from the pattern, or -1 when it is a prefix of it.</summary>
    public static int FirstDifference(ReadOnlySpan<byte> body)
    {
        for (var i = 0; i < body.Length; i++)
        {
            if (body[i] != ByteAt(i))
            {
                return i;
            }
        }

        return -1;
    }
}
