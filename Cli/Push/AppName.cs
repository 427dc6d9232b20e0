using System.Text;

namespace Granary.Cli.Push;

/// <summary>App names become host names: 1–63 of a-z, 0-9 and '-', starting with a letter, not ending with '-'.</summary>
internal static class AppName
{
    /// <summary>The default name for a folder or archive: its name lowercased, other characters turned into '-'.</summary>
    public static string FromPath(string path)
    {
        var full = Path.GetFullPath(path).TrimEnd(Path.DirectorySeparatorChar);
        var name = Path.GetFileName(full);
        foreach (var ext in PushSource.ArchiveExtensions)
        {
            if (File.Exists(full) && name.EndsWith(ext, StringComparison.OrdinalIgnoreCase))
            {
                name = name[..^ext.Length];
                break;
            }
        }
        return Sanitize(name);
    }

    public static string Sanitize(string name)
    {
        var sb = new StringBuilder();
        foreach (var c in name.ToLowerInvariant())
        {
            var ok = char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c);
            if (ok)
                sb.Append(c);
            else if (sb.Length > 0 && sb[^1] != '-')
                sb.Append('-');
        }
        var result = sb.ToString().TrimStart('-', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9').TrimEnd('-');
        if (result.Length > 63)
            result = result[..63].TrimEnd('-');
        return result.Length == 0 ? "app" : result;
    }

    public static bool IsValid(string name) =>
        name.Length is >= 1 and <= 63
        && char.IsAsciiLetterLower(name[0])
        && name[^1] != '-'
        && name.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-');
}
