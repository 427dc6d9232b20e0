namespace Granary.Silo.Staging;

/// <summary>
/// Pure rules for where an archive entry may land and where its links may point. Paths are relative,
/// '/'-separated and normalised ("a/b"); the empty string is the app root.
/// </summary>
internal static class ArchivePath
{
    // Linux resolves at most 40 links in one lookup; a longer chain is a loop or an attack.
    private const int MaxLinkHops = 40;

    /// <summary>
    /// The entry's path relative to the root, or an error naming the entry. Backslashes count as separators
    /// because zip tools on Windows write them, and "a\..\b" must not slip past the ".." check.
    /// </summary>
    public static string Normalize(string rawName, out string? error)
    {
        error = null;
        if (rawName.Contains('\0'))
        {
            error = $"the entry '{Printable(rawName)}' has a NUL character in its name";
            return "";
        }

        var name = rawName.Replace('\\', '/');
        if (IsAbsolute(name))
        {
            error = $"the entry '{rawName}' has an absolute path; entries must be relative to the app folder";
            return "";
        }

        var parts = Split(name);
        if (parts.Contains(".."))
        {
            error = $"the entry '{rawName}' uses '..' and would land outside the app folder";
            return "";
        }

        return string.Join('/', parts);
    }

    /// <summary>
    /// Checks a symbolic link by resolving it the way the kernel would, through the other links of the
    /// same archive: a purely textual check would pass "e -> d/../etc" when "d -> .", which leaves the root.
    /// </summary>
    public static string? CheckLink(IReadOnlyDictionary<string, string> links, string linkPath)
    {
        var target = links[linkPath];
        if (target.Length == 0 || target.Contains('\0'))
        {
            return $"the symbolic link '{linkPath}' has an empty or invalid target";
        }

        if (IsAbsolute(target))
        {
            return $"the symbolic link '{linkPath}' points to the absolute path '{target}'; links must stay inside the app folder";
        }

        var resolved = new List<string>(Split(Parent(linkPath)));
        var pending = new LinkedList<string>(Split(target));
        var hops = 0;
        while (pending.First is { } first)
        {
            pending.RemoveFirst();
            var part = first.Value;
            if (part == "..")
            {
                if (resolved.Count == 0)
                {
                    return $"the symbolic link '{linkPath}' points to '{target}', outside the app folder";
                }

                resolved.RemoveAt(resolved.Count - 1);
                continue;
            }

            resolved.Add(part);
            if (!links.TryGetValue(string.Join('/', resolved), out var next))
            {
                continue;
            }

            if (++hops > MaxLinkHops)
            {
                return $"the symbolic link '{linkPath}' is part of a loop of links";
            }

            if (next.Length == 0 || IsAbsolute(next))
            {
                return $"the symbolic link '{linkPath}' points to '{target}', which goes through a link outside the app folder";
            }

            // Replace the link by its target, read relative to the folder holding the link.
            resolved.RemoveAt(resolved.Count - 1);
            foreach (var nextPart in Split(next).Reverse())
            {
                pending.AddFirst(nextPart);
            }
        }

        return null;
    }

    /// <summary>The folder holding <paramref name="path"/> ("" for the root).</summary>
    public static string Parent(string path)
    {
        var slash = path.LastIndexOf('/');
        return slash < 0 ? "" : path[..slash];
    }

    /// <summary>Every proper ancestor folder of <paramref name="path"/>, nearest the root first.</summary>
    public static IEnumerable<string> Ancestors(string path)
    {
        for (var slash = path.IndexOf('/'); slash >= 0; slash = path.IndexOf('/', slash + 1))
        {
            yield return path[..slash];
        }
    }

    private static bool IsAbsolute(string name) =>
        name.StartsWith('/') || (name.Length >= 2 && name[1] == ':' && char.IsAsciiLetter(name[0]));

    private static string[] Split(string name) =>
        name.Split('/', StringSplitOptions.RemoveEmptyEntries).Where(part => part != ".").ToArray();

    private static string Printable(string name) => name.Replace("\0", "\\0");
}
