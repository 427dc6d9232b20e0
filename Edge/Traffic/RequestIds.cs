using Microsoft.Extensions.Primitives;

namespace Granary.Edge.Traffic;

/// <summary>X-Request-Id: kept when the client sent a sane one, generated otherwise.</summary>
public static class RequestIds
{
    public const int MaxLength = 128;

    /// <summary>The client's id if it is one value of 1..128 visible ASCII characters; null means generate one.</summary>
    public static string? Accept(StringValues incoming)
    {
        if (incoming.Count != 1 || incoming[0] is not { Length: > 0 and <= MaxLength } id)
        {
            return null;
        }

        foreach (var c in id)
        {
            if (c is < '!' or > '~')
            {
                return null;
            }
        }

        return id;
    }

    public static string New() => Guid.NewGuid().ToString("N");
}
