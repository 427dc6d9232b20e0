using System.Text.RegularExpressions;

namespace Granary.Silo.Staging;

internal static partial class Shell
{
    /// <summary>Quotes a word for /bin/sh only when it needs it, so common commands stay readable in logs.</summary>
    public static string Quote(string word) =>
        PlainWord().IsMatch(word) ? word : "'" + word.Replace("'", "'\\''") + "'";

    [GeneratedRegex("^[A-Za-z0-9._/@%+=:,-]+$")]
    private static partial Regex PlainWord();
}
