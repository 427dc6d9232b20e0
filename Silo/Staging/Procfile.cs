using System.Text.RegularExpressions;

namespace Granary.Silo.Staging;

/// <summary>Reads the web process of a Heroku-style Procfile ("web: node server.js").</summary>
internal static partial class Procfile
{
    public const string FileName = "Procfile";

    /// <summary>The command of the first non-empty web: line, or null.</summary>
    public static string? WebCommand(AppFiles files)
    {
        if (files.ReadText(FileName) is not { } text)
        {
            return null;
        }

        foreach (var line in text.Split('\n'))
        {
            var match = WebLine().Match(line.Trim());
            if (match.Success && match.Groups[1].Value.Trim() is { Length: > 0 } command)
            {
                return command;
            }
        }

        return null;
    }

    [GeneratedRegex(@"^web\s*:(.*)$")]
    private static partial Regex WebLine();
}
