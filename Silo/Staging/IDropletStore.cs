using Granary.Staging;

namespace Granary.Silo.Staging;

/// <summary>
/// Content-addressed droplet archives (tar.gz: the app's files at the root plus .granary/droplet.json).
/// Filesystem here; the cluster issue adds a store every node reaches.
/// </summary>
public interface IDropletStore
{
    /// <summary>Stores a finished droplet archive, naming it by its SHA-256, and returns its reference.</summary>
    Task<DropletRef> PutAsync(string archivePath, string framework, string startCommand, CancellationToken cancellationToken);

    /// <summary>A local path of the droplet's archive, verified against its hash. Throws FileNotFoundException if unknown.</summary>
    Task<string> GetLocalPathAsync(string hash, CancellationToken cancellationToken);
}
