namespace Granary.Cli.Push;

/// <summary>What the user typed on <c>push</c>; null means "not given".</summary>
internal sealed record PushFlags(
    string? Path = null,
    string? ManifestPath = null,
    string? Name = null,
    int? Instances = null,
    int? MemoryMb = null,
    string? Command = null);

/// <summary>The push to perform once the manifest and the flags are merged.</summary>
internal sealed record PushPlan(
    string Name,
    PushSource Source,
    int? Instances,
    int? MemoryMb,
    string? Command,
    IReadOnlyDictionary<string, string>? Env,
    string? Note,
    IReadOnlyList<string>? Routes = null,
    IReadOnlyList<string>? Services = null)
{
    /// <summary>Finds and reads the manifest, then merges it with the flags (flags win).</summary>
    public static PushPlan Create(PushFlags flags, string workingDirectory)
    {
        var manifestPath = FindManifest(flags, workingDirectory);
        ManifestApp? app = null;
        if (manifestPath is not null)
        {
            var apps = Manifest.Parse(File.ReadAllText(manifestPath), Path.GetFileName(manifestPath));
            app = Manifest.Select(apps, flags.Name, Path.GetFileName(manifestPath));
        }
        var sourcePath = flags.Path is not null ? Path.GetFullPath(flags.Path, workingDirectory)
            : app?.Path is not null ? Path.GetFullPath(app.Path, Path.GetDirectoryName(manifestPath)!)
            : workingDirectory;
        return Merge(flags, app, PushSource.Resolve(sourcePath));
    }

    /// <summary>Flags override the manifest; the name falls back to the folder's.</summary>
    public static PushPlan Merge(PushFlags flags, ManifestApp? app, PushSource source)
    {
        var name = flags.Name ?? app?.Name ?? AppName.FromPath(source.Path);
        if (!AppName.IsValid(name))
            throw new UsageException($"'{name}' is not a valid app name: 1-63 characters of a-z, 0-9 and '-', starting with a letter and not ending with '-'");
        if ((flags.Instances ?? app?.Instances) is < 0)
            throw new UsageException("instances must be 0 or more");
        string? note = null;
        return new PushPlan(
            name,
            source,
            flags.Instances ?? app?.Instances,
            flags.MemoryMb ?? app?.MemoryMb,
            flags.Command ?? app?.Command,
            app?.Env,
            note,
            app?.Routes is { Count: > 0 } routes ? routes : null,
            app?.Services is { Count: > 0 } services ? services : null);
    }

    private static string? FindManifest(PushFlags flags, string workingDirectory)
    {
        if (flags.ManifestPath is not null)
        {
            var explicitPath = Path.GetFullPath(flags.ManifestPath, workingDirectory);
            return File.Exists(explicitPath) ? explicitPath : throw new CliException($"manifest {flags.ManifestPath} does not exist");
        }
        var folder = flags.Path is null ? workingDirectory : Path.GetFullPath(flags.Path, workingDirectory);
        var candidate = Path.Combine(folder, "manifest.yml");
        return Directory.Exists(folder) && File.Exists(candidate) ? candidate : null;
    }
}
