using System.Text;
using System.Text.RegularExpressions;

namespace Granary.Cli.Push;

/// <summary>
/// The <c>.granaryignore</c> rules: a small gitignore subset. Blank lines and <c>#</c> comments are
/// skipped; <c>name</c> and <c>*.ext</c> match at any depth; a pattern containing <c>/</c> is anchored
/// at the app root; a trailing <c>/</c> matches directories only; <c>!pattern</c> keeps what an earlier
/// rule dropped. The last matching rule wins, as in git.
/// </summary>
internal sealed class IgnoreRules
{
    private readonly List<Rule> _rules;

    private IgnoreRules(List<Rule> rules) => _rules = rules;

    public static IgnoreRules Empty { get; } = new([]);

    public int Count => _rules.Count;

    public static IgnoreRules Parse(string text)
    {
        var rules = new List<Rule>();
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.TrimEnd('\r').Trim();
            if (line.Length == 0 || line.StartsWith('#'))
                continue;
            var negate = line.StartsWith('!');
            if (negate)
                line = line[1..];
            var directoryOnly = line.EndsWith('/');
            line = line.TrimEnd('/');
            var anchored = line.Contains('/');
            line = line.TrimStart('/');
            if (line.Length == 0)
                continue;
            var body = GlobToRegex(line);
            var regex = new Regex(anchored ? $"^{body}$" : $"(^|/){body}$", RegexOptions.CultureInvariant);
            rules.Add(new Rule(regex, negate, directoryOnly));
        }
        return new IgnoreRules(rules);
    }

    public static IgnoreRules Load(string directory)
    {
        var file = Path.Combine(directory, ".granaryignore");
        return File.Exists(file) ? Parse(File.ReadAllText(file)) : Empty;
    }

    /// <param name="relativePath">Path from the app root with <c>/</c> separators, e.g. <c>src/app.js</c>.</param>
    public bool IsIgnored(string relativePath, bool isDirectory)
    {
        var path = relativePath.Replace('\\', '/').Trim('/');
        var ignored = false;
        foreach (var rule in _rules)
        {
            if (rule.DirectoryOnly && !isDirectory)
                continue;
            if (rule.Pattern.IsMatch(path))
                ignored = !rule.Negate;
        }
        return ignored;
    }

    private static string GlobToRegex(string glob)
    {
        var sb = new StringBuilder();
        for (var i = 0; i < glob.Length; i++)
        {
            var c = glob[i];
            if (c == '*' && i + 1 < glob.Length && glob[i + 1] == '*')
            {
                // "**/" spans any number of directories, including none.
                var slash = i + 2 < glob.Length && glob[i + 2] == '/';
                sb.Append(slash ? "(.*/)?" : ".*");
                i += slash ? 2 : 1;
            }
            else if (c == '*')
                sb.Append("[^/]*");
            else if (c == '?')
                sb.Append("[^/]");
            else
                sb.Append(Regex.Escape(c.ToString()));
        }
        return sb.ToString();
    }

    private sealed record Rule(Regex Pattern, bool Negate, bool DirectoryOnly);
}
