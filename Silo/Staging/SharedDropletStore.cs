using Granary.Staging;
using Microsoft.Extensions.Logging;

namespace Granary.Silo.Staging;

/// <summary>
/// Droplets every node can run: stored in the shared blob store (PostgreSQL) and cached on this node's disk by
/// <see cref="FileSystemDropletStore"/>. A DEA that lacks a droplet, or whose copy fails its hash check, fetches
/// it again, verified by hash, from the shared store.
/// </summary>
public sealed partial class SharedDropletStore(
    ISharedBlobStore shared, FileSystemDropletStore cache, ILogger<SharedDropletStore> logger) : IDropletStore
{
    public async Task<DropletRef> PutAsync(string archivePath, string framework, string startCommand, CancellationToken cancellationToken)
    {
        var droplet = await cache.PutAsync(archivePath, framework, startCommand, cancellationToken);
        await shared.PutAsync(BlobKind.Droplet, droplet.Hash, cache.PathOf(droplet.Hash), null, cancellationToken);
        return droplet;
    }

    public async Task<string> GetLocalPathAsync(string hash, CancellationToken cancellationToken)
    {
        try
        {
            return await cache.GetLocalPathAsync(hash, cancellationToken);
        }
        catch (FileNotFoundException)
        {
            LogFetching(hash, "not cached on this node");
        }
        catch (InvalidDataException e)
        {
            LogFetching(hash, e.Message);
        }

        var download = cache.TemporaryPath();
        if (!await shared.TryFetchAsync(BlobKind.Droplet, hash, download, cancellationToken))
            throw new FileNotFoundException($"droplet {hash} is neither on this node nor in the shared store; restage the app");
        return cache.AdoptVerified(download, hash);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Fetching droplet {Hash} from the shared store: {Reason}")]
    private partial void LogFetching(string hash, string reason);
}
