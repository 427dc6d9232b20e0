using System.Text.RegularExpressions;

namespace Granary.Tenancy;

/// <summary>Pure: org and space names are lower case, like app names, so "Web" and "web" are never two.</summary>
public static partial class TenancyNames
{
    public static string Normalize(string? name) => (name ?? "").Trim().ToLowerInvariant();

    public static string Validate(string? name, string what)
    {
        var normalized = Normalize(name);
        if (!Pattern().IsMatch(normalized))
            throw new InvalidTenancyException($"'{name}' is not a {what} name: use 1 to 63 letters, digits or '-', starting with a letter or digit");
        return normalized;
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{0,62}$")]
    private static partial Regex Pattern();
}
