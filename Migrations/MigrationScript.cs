using System.Globalization;
using System.Reflection;
using System.Security.Cryptography;
using System.Text;

namespace Granary.Migrations;

/// <summary>
/// One file of deploy/sql: <c>NNNN_name.sql</c>. The number orders the scripts and is the version recorded
/// once applied; the checksum catches a script edited after it shipped (add a new script instead).
/// </summary>
public sealed record MigrationScript(int Version, string Name, string Sql)
{
    public string Checksum => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Sql.ReplaceLineEndings("\n"))));

    private const string ResourcePrefix = "Granary.Migrations.Sql.";

    /// <summary>Every script embedded in this assembly, in version order.</summary>
    public static IReadOnlyList<MigrationScript> Embedded { get; } = LoadEmbedded();

    /// <summary>Parses "0003_orleans_reminders.sql" into (3, "orleans_reminders"); null if the name does not fit.</summary>
    public static (int Version, string Name)? ParseFileName(string fileName)
    {
        if (!fileName.EndsWith(".sql", StringComparison.Ordinal))
            return null;
        var stem = fileName[..^4];
        var separator = stem.IndexOf('_');
        if (separator != 4 || !int.TryParse(stem.AsSpan(0, 4), NumberStyles.None, CultureInfo.InvariantCulture, out var version) || version == 0)
            return null;
        return (version, stem[(separator + 1)..]);
    }

    private static List<MigrationScript> LoadEmbedded()
    {
        var assembly = typeof(MigrationScript).Assembly;
        var scripts = new List<MigrationScript>();
        foreach (var resource in assembly.GetManifestResourceNames().Where(r => r.StartsWith(ResourcePrefix, StringComparison.Ordinal)))
        {
            var parsed = ParseFileName(resource[ResourcePrefix.Length..])
                ?? throw new InvalidOperationException($"deploy/sql/{resource[ResourcePrefix.Length..]} is not named NNNN_name.sql");
            scripts.Add(new MigrationScript(parsed.Version, parsed.Name, Read(assembly, resource)));
        }

        scripts.Sort((a, b) => a.Version.CompareTo(b.Version));
        var duplicate = scripts.GroupBy(s => s.Version).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
            throw new InvalidOperationException($"two migration scripts share version {duplicate.Key:D4}");
        return scripts;
    }

    private static string Read(Assembly assembly, string resource)
    {
        using var stream = assembly.GetManifestResourceStream(resource)!;
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return reader.ReadToEnd();
    }
}
