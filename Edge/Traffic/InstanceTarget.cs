using System.Globalization;
using Microsoft.Extensions.Primitives;

namespace Granary.Edge.Traffic;

/// <summary>The value of <c>X-Granary-Instance: APP_ID:INDEX</c>.</summary>
public readonly record struct InstanceTarget(Guid AppId, int Index)
{
    /// <summary>Parses the header; on failure <paramref name="error"/> says what is wrong, for a 400 body.</summary>
    public static bool TryParse(StringValues header, out InstanceTarget target, out string error)
    {
        target = default;
        if (header.Count != 1)
        {
            error = $"send one {EdgeHeaders.TargetInstance} header, not {header.Count}";
            return false;
        }

        var value = (header[0] ?? "").Trim();
        var colon = value.IndexOf(':');
        if (colon < 0)
        {
            error = $"{EdgeHeaders.TargetInstance} must be APP_ID:INDEX, got '{Shorten(value)}'";
            return false;
        }

        var app = value.AsSpan(0, colon).Trim();
        var index = value.AsSpan(colon + 1).Trim();
        if (!Guid.TryParse(app, out var appId))
        {
            error = $"{EdgeHeaders.TargetInstance}: '{Shorten(app.ToString())}' is not an app id (a GUID)";
            return false;
        }

        if (!int.TryParse(index, NumberStyles.None, CultureInfo.InvariantCulture, out var number))
        {
            error = $"{EdgeHeaders.TargetInstance}: '{Shorten(index.ToString())}' is not an instance index (0 or more)";
            return false;
        }

        target = new InstanceTarget(appId, number);
        error = "";
        return true;
    }

    private static string Shorten(string value) => value.Length <= 64 ? value : value[..64] + "…";
}
