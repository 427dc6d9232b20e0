using System.Security.Cryptography;
using Granary.Silo.Persistence;
using Granary.Silo.Staging;
using Granary.Tests.Staging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Granary.Tests.Persistence;

/// <summary>
/// Droplets and packages in PostgreSQL: stored by one node, fetched and verified by another, never handed out
/// when the bytes do not match their hash.
/// </summary>
public sealed class SharedDropletStoreTests : IAsyncLifetime
{
    private readonly StagingSandbox _stager = new();
    private readonly StagingSandbox _dea = new();
    private string _db = "";
    private PostgresBlobStore _blobs = null!;

    public async Task InitializeAsync()
    {
        _db = await PersistenceDatabase.CreateMigratedAsync("blobs");
        _blobs = new PostgresBlobStore(new DatabaseSettings(_db), NullLogger<PostgresBlobStore>.Instance);
    }

    public async Task DisposeAsync()
    {
        await _blobs.DisposeAsync();
        _stager.Dispose();
        _dea.Dispose();
    }

    private SharedDropletStore Node(StagingSandbox sandbox) => new(_blobs, sandbox.Droplets(), NullLogger<SharedDropletStore>.Instance);

    /// <summary>Incompressible bytes, several chunks long: what a real droplet with node_modules looks like to the store.</summary>
    private string Archive(int bytes)
    {
        var path = Path.Combine(_stager.Root, Guid.NewGuid().ToString("N") + ".tgz");
        File.WriteAllBytes(path, RandomNumberGenerator.GetBytes(bytes));
        return path;
    }

    [Fact]
    public async Task Droplet_StoredOnOneNode_IsFetchedByAnotherByteForByte()
    {
        var archive = Archive(PostgresBlobStore.ChunkBytes * 3 + 12345);
        var droplet = await Node(_stager).PutAsync(archive, "node", "node server.js", CancellationToken.None);

        var path = await Node(_dea).GetLocalPathAsync(droplet.Hash, CancellationToken.None);

        Assert.StartsWith(_dea.Options.DropletsDirectory, path);
        Assert.Equal(await File.ReadAllBytesAsync(archive), await File.ReadAllBytesAsync(path));
        Assert.Equal(4, await PersistenceDatabase.ScalarAsync<int>(_db, $"SELECT chunk_count FROM granary_blobs WHERE sha256 = '{droplet.Hash}'"));
    }

    [Fact]
    public async Task Droplet_DamagedInTheDatabase_IsRefusedAndNothingIsCached()
    {
        var droplet = await Node(_stager).PutAsync(Archive(PostgresBlobStore.ChunkBytes + 10), "node", "node server.js", CancellationToken.None);
        await PersistenceDatabase.ExecuteAsync(_db,
            $"UPDATE granary_blob_chunks SET data = overlay(data placing '\\x00ff'::bytea from 100) WHERE sha256 = '{droplet.Hash}' AND chunk_index = 1");

        var failure = await Assert.ThrowsAsync<InvalidDataException>(() => Node(_dea).GetLocalPathAsync(droplet.Hash, CancellationToken.None));

        Assert.Contains("damaged", failure.Message);
        Assert.Empty(Directory.Exists(_dea.Options.DropletsDirectory) ? Directory.GetFiles(_dea.Options.DropletsDirectory) : []);
    }

    [Fact]
    public async Task Droplet_WithAChunkMissing_IsRefused()
    {
        var droplet = await Node(_stager).PutAsync(Archive(PostgresBlobStore.ChunkBytes * 2 + 1), "node", "node server.js", CancellationToken.None);
        await PersistenceDatabase.ExecuteAsync(_db, $"DELETE FROM granary_blob_chunks WHERE sha256 = '{droplet.Hash}' AND chunk_index = 1");

        await Assert.ThrowsAsync<InvalidDataException>(() => Node(_dea).GetLocalPathAsync(droplet.Hash, CancellationToken.None));
    }

    [Fact]
    public async Task Droplet_CachedCopyDamagedOnDisk_IsFetchedAgainFromTheDatabase()
    {
        var archive = Archive(5000);
        var droplet = await Node(_stager).PutAsync(archive, "node", "node server.js", CancellationToken.None);
        var cached = await Node(_dea).GetLocalPathAsync(droplet.Hash, CancellationToken.None);
        await File.WriteAllTextAsync(cached, "not the droplet any more");

        // A new store instance stands for a restarted DEA: it re-verifies what it finds on disk.
        var path = await Node(_dea).GetLocalPathAsync(droplet.Hash, CancellationToken.None);

        Assert.Equal(await File.ReadAllBytesAsync(archive), await File.ReadAllBytesAsync(path));
    }

    [Fact]
    public async Task Droplet_UnknownEverywhere_NotFoundSaysWhatToDo()
    {
        var failure = await Assert.ThrowsAsync<FileNotFoundException>(() => Node(_dea).GetLocalPathAsync(new string('a', 64), CancellationToken.None));

        Assert.Contains("restage", failure.Message);
    }

    [Fact]
    public async Task Droplet_StoredTwice_KeptOnce()
    {
        var archive = Archive(3000);
        await Task.WhenAll(Node(_stager).PutAsync(archive, "node", "a", CancellationToken.None), Node(_dea).PutAsync(archive, "node", "a", CancellationToken.None));

        Assert.Equal(1L, await PersistenceDatabase.ScalarAsync<long>(_db, "SELECT count(*) FROM granary_blobs"));
        Assert.Equal(1L, await PersistenceDatabase.ScalarAsync<long>(_db, "SELECT count(*) FROM granary_blob_chunks"));
    }

    [Fact]
    public async Task Package_UploadedToOneNode_IsFoundByAStagerOnAnother()
    {
        var uploads = new PackageStore(Microsoft.Extensions.Options.Options.Create(_stager.Options), NullLogger<PackageStore>.Instance, _blobs);
        var body = TestArchives.TarGz(TestEntry.File("server.js", "require('http').createServer().listen(process.env.PORT)"), TestEntry.File("package.json", "{}"));
        var package = await uploads.SaveAsync(new MemoryStream(body), null, CancellationToken.None);

        var elsewhere = new PackageStore(Microsoft.Extensions.Options.Options.Create(_dea.Options), NullLogger<PackageStore>.Instance, _blobs);
        var path = await elsewhere.FindPathAsync(package.PackageId, CancellationToken.None);

        Assert.NotNull(path);
        Assert.EndsWith($"{package.PackageId}.tgz", path);
        Assert.Equal(body, await File.ReadAllBytesAsync(path));
        Assert.Null(await elsewhere.FindPathAsync(new string('b', 64), CancellationToken.None));
    }
}
