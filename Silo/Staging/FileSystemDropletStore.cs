using System.Collections.Concurrent;
using Granary.Staging;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Granary.Silo.Staging;

/// <summary>
/// Droplets as DropletsDirectory/&lt;sha256&gt;.tgz on this machine. A droplet is re-hashed the first time
/// this process hands it out, so a file damaged or swapped on disk is never run; later calls trust that check.
/// </summary>
public sealed partial class FileSystemDropletStore(
    IOptions<StagingOptions> options, TimeProvider time, ILogger<FileSystemDropletStore> logger) : IDropletStore
{
    private readonly ConcurrentDictionary<string, bool> _verified = new(StringComparer.Ordinal);

    public async Task<DropletRef> PutAsync(string archivePath, string framework, string startCommand, CancellationToken cancellationToken)
    {
        var folder = options.Value.DropletsDirectory;
        Directory.CreateDirectory(folder);
        var temporary = Path.Combine(folder, $".put-{Guid.NewGuid():N}.tmp");
        try
        {
            string hash;
            long size;
            await using (var source = new FileStream(archivePath, FileMode.Open, FileAccess.Read, FileShare.Read, 1, useAsync: true))
            await using (var target = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, useAsync: true))
            {
                (hash, size, _) = await ContentHash.CopyAsync(source, target, long.MaxValue, cancellationToken);
            }

            // Renaming within one folder is atomic: readers see the whole droplet or none of it.
            File.Move(temporary, PathOf(hash), overwrite: true);
            _verified[hash] = true;
            return new DropletRef(hash, framework, startCommand, size, time.GetUtcNow());
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    public async Task<string> GetLocalPathAsync(string hash, CancellationToken cancellationToken)
    {
        if (!ContentHash.IsValid(hash))
        {
            throw new ArgumentException($"'{hash}' is not a droplet hash (64 lowercase hex characters)", nameof(hash));
        }

        var path = PathOf(hash);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"droplet {hash} is not stored on this node", path);
        }

        if (_verified.ContainsKey(hash))
        {
            return path;
        }

        var actual = await ContentHash.OfFileAsync(path, cancellationToken);
        if (actual != hash)
        {
            // Move it aside rather than delete it: it is evidence, and a restage can store a good copy.
            var quarantined = path + $".corrupt-{Guid.NewGuid():N}";
            File.Move(path, quarantined);
            LogCorrupt(hash, actual, quarantined);
            throw new InvalidDataException($"droplet {hash} failed verification (its content hashes to {actual}); it was moved to {quarantined}");
        }

        _verified[hash] = true;
        return path;
    }

    internal string PathOf(string hash) => Path.Combine(options.Value.DropletsDirectory, $"{hash}.tgz");

    /// <summary>A fresh file name in the droplets folder, for a download that <see cref="AdoptVerified"/> then keeps.</summary>
    internal string TemporaryPath()
    {
        Directory.CreateDirectory(options.Value.DropletsDirectory);
        return Path.Combine(options.Value.DropletsDirectory, $".fetch-{Guid.NewGuid():N}.tmp");
    }

    /// <summary>Keeps a file the caller has already verified against <paramref name="hash"/> as the cached droplet.</summary>
    internal string AdoptVerified(string verifiedFile, string hash)
    {
        var path = PathOf(hash);
        File.Move(verifiedFile, path, overwrite: true);
        _verified[hash] = true;
        return path;
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Droplet {Hash} is corrupt on disk (content hashes to {Actual}); moved to {Quarantined}")]
    private partial void LogCorrupt(string hash, string actual, string quarantined);
}
