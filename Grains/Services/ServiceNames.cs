using System.Text.RegularExpressions;

namespace Granary.Services;

/// <summary>Names of brokers and service instances: typed on command lines, so CLI-friendly (as the OSB spec asks of its names).</summary>
public static partial class ServiceNames
{
    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]{0,49}$")]
    private static partial Regex Valid();

    /// <summary>Null when fine, else what is wrong with it.</summary>
    public static string? Problem(string? name, string what) =>
        string.IsNullOrWhiteSpace(name) ? $"give the {what} a name"
        : Valid().IsMatch(name) ? null
        : $"'{name}' is not a valid {what} name: 1-50 letters, digits, '.', '_' or '-', starting with a letter or digit";
}
