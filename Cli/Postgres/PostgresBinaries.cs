namespace Granary.Cli.Postgres;

/// <summary>Where the PostgreSQL server programs (initdb, pg_ctl, postgres) are on this machine.</summary>
internal static class PostgresBinaries
{
    public const string MissingMessage =
        "the PostgreSQL server programs (initdb, pg_ctl) were not found: install them (Debian/Ubuntu: " +
        "`apt-get install postgresql`; Fedora: `dnf install postgresql-server`), or set GRANARY_PG_BIN to " +
        "their directory, or run with --ephemeral to keep state in memory";

    /// <summary>
    /// GRANARY_PG_BIN first, then initdb on PATH, then the newest /usr/lib/postgresql/N/bin (Debian keeps
    /// the server programs there, off PATH).
    /// </summary>
    public static string? Find(Func<string, string?> env)
    {
        if (env("GRANARY_PG_BIN") is { Length: > 0 } configured)
            return HasServer(configured) ? configured : null;

        foreach (var dir in (env("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            if (HasServer(dir))
                return dir;
        }

        const string debian = "/usr/lib/postgresql";
        if (!Directory.Exists(debian))
            return null;
        return Directory.GetDirectories(debian)
            .Select(version => (Version: int.TryParse(Path.GetFileName(version), out var n) ? n : -1, Bin: Path.Combine(version, "bin")))
            .Where(candidate => candidate.Version > 0 && HasServer(candidate.Bin))
            .OrderByDescending(candidate => candidate.Version)
            .Select(candidate => candidate.Bin)
            .FirstOrDefault();
    }

    public static string Require(Func<string, string?> env) => Find(env) ?? throw new CliException(MissingMessage);

    private static bool HasServer(string dir) =>
        File.Exists(Path.Combine(dir, "initdb")) && File.Exists(Path.Combine(dir, "pg_ctl")) && File.Exists(Path.Combine(dir, "postgres"));
}
