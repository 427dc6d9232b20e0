using System.Text.RegularExpressions;

namespace Granary.Users;

/// <summary>Pure: what a user name and a password must be.</summary>
public static partial class UserRules
{
    public const int MinPasswordLength = 8;
    public const int MaxPasswordLength = 256;

    /// <summary>Names are lower case so that "Alice" and "alice" can never be two people.</summary>
    public static string NormalizeName(string? name) => (name ?? "").Trim().ToLowerInvariant();

    public static void Validate(string name, string password)
    {
        ValidateName(name);
        ValidatePassword(password);
    }

    public static void ValidateName(string name)
    {
        if (!NamePattern().IsMatch(name))
            throw new InvalidUserException($"'{name}' is not a user name: use 1 to 64 letters, digits, '.', '_' or '-', starting with a letter or digit");
    }

    public static void ValidatePassword(string? password)
    {
        if (password is null || password.Length < MinPasswordLength)
            throw new InvalidUserException($"the password is too short: use at least {MinPasswordLength} characters");
        if (password.Length > MaxPasswordLength)
            throw new InvalidUserException($"the password is too long: use at most {MaxPasswordLength} characters");
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9._-]{0,63}$")]
    private static partial Regex NamePattern();
}
