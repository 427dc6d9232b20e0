namespace Granary.Migrations;

/// <summary>Which scripts still need applying, given what the database says it has: a pure decision.</summary>
public static class MigrationPlan
{
    /// <summary>
    /// Scripts not yet recorded, in version order. Refuses a database whose recorded scripts differ from
    /// ours (edited after release) or that is ahead of this build (a newer Granary migrated it).
    /// </summary>
    public static IReadOnlyList<MigrationScript> Pending(IReadOnlyList<MigrationScript> scripts, IReadOnlyDictionary<int, string> applied)
    {
        foreach (var script in scripts)
        {
            if (applied.TryGetValue(script.Version, out var checksum) && checksum != script.Checksum)
            {
                throw new MigrationFailedException(
                    $"migration {script.Version:D4}_{script.Name}.sql was changed after it was applied to this database " +
                    "(checksums differ); restore the shipped script and put the change in a new one");
            }
        }

        var newest = scripts.Count == 0 ? 0 : scripts.Max(s => s.Version);
        var unknown = applied.Keys.Where(v => v > newest).Order().ToList();
        if (unknown.Count > 0)
        {
            throw new MigrationFailedException(
                $"this database has migration {unknown[^1]:D4} applied, newer than this Granary knows (up to {newest:D4}); " +
                "run a Granary at least as new as the one that migrated it");
        }

        return scripts.Where(s => !applied.ContainsKey(s.Version)).OrderBy(s => s.Version).ToList();
    }
}
