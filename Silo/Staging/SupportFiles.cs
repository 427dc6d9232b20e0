namespace Granary.Silo.Staging;

/// <summary>Granary's helper programs (static file server, WSGI runner), embedded in the silo and copied into droplets.</summary>
internal static class SupportFiles
{
    public const string Folder = ".granary";

    public static async Task CopyAsync(string name, string dropletRoot, CancellationToken cancellationToken)
    {
        await using var resource = typeof(SupportFiles).Assembly.GetManifestResourceStream($"Granary.Staging.{name}")
            ?? throw new InvalidOperationException($"the support file {name} is not embedded in the silo");
        var path = Path.Combine(dropletRoot, Folder, name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.Delete(path);
        await using var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write);
        await resource.CopyToAsync(file, cancellationToken);
    }
}
