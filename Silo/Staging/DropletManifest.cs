using System.Text.Json;

namespace Granary.Silo.Staging;

/// <summary>.granary/droplet.json: how the droplet starts, readable by people and tools that only have the files.</summary>
internal sealed record DropletManifest(string Framework, string StartCommand, DateTimeOffset StagedAt)
{
    public const string FileName = "droplet.json";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public async Task WriteAsync(string dropletRoot, CancellationToken cancellationToken)
    {
        var path = Path.Combine(dropletRoot, SupportFiles.Folder, FileName);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        // Delete first so a link the build planted here is replaced, not written through.
        File.Delete(path);
        await using var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write);
        await JsonSerializer.SerializeAsync(file, this, Json, cancellationToken);
    }

    public static async Task<DropletManifest?> ReadAsync(string dropletRoot, CancellationToken cancellationToken)
    {
        await using var file = File.OpenRead(Path.Combine(dropletRoot, SupportFiles.Folder, FileName));
        return await JsonSerializer.DeserializeAsync<DropletManifest>(file, Json, cancellationToken);
    }
}
