using System.Security.Cryptography;
using Microsoft.Extensions.Time.Testing;

namespace Granary.Tests.Staging;

public sealed class FileSystemDropletStoreTests : IDisposable
{
    private readonly StagingSandbox _sandbox = new();

    public void Dispose() => _sandbox.Dispose();

    private async Task<string> ArchiveAsync(string content)
    {
        var path = Path.Combine(_sandbox.Root, Guid.NewGuid().ToString("N") + ".tgz");
        await File.WriteAllBytesAsync(path, TestArchives.TarGz(TestEntry.File("a.txt", content)));
        return path;
    }

    [Fact]
    public async Task PutAsync_Archive_StoredUnderItsSha256()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2025, 3, 1, 12, 0, 0, TimeSpan.Zero));
        var archive = await ArchiveAsync("one");

        var droplet = await _sandbox.Droplets(time).PutAsync(archive, "node", "npm start", CancellationToken.None);

        var bytes = await File.ReadAllBytesAsync(archive);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(bytes)), droplet.Hash);
        Assert.Equal(bytes.Length, droplet.SizeBytes);
        Assert.Equal(("node", "npm start"), (droplet.Framework, droplet.StartCommand));
        Assert.Equal(time.GetUtcNow(), droplet.StagedAt);
        Assert.Equal(bytes, await File.ReadAllBytesAsync(Path.Combine(_sandbox.Options.DropletsDirectory, droplet.Hash + ".tgz")));
    }

    [Fact]
    public async Task GetLocalPathAsync_StoredDroplet_ReturnsItsPath()
    {
        var droplet = await _sandbox.Droplets().PutAsync(await ArchiveAsync("one"), "node", "npm start", CancellationToken.None);

        // A fresh store stands for a restarted process: it verifies before handing the path out.
        var path = await _sandbox.Droplets().GetLocalPathAsync(droplet.Hash, CancellationToken.None);

        Assert.Equal(Path.Combine(_sandbox.Options.DropletsDirectory, droplet.Hash + ".tgz"), path);
    }

    [Fact]
    public async Task GetLocalPathAsync_TamperedFile_RefusedThenUnknown()
    {
        var droplet = await _sandbox.Droplets().PutAsync(await ArchiveAsync("one"), "node", "npm start", CancellationToken.None);
        var stored = Path.Combine(_sandbox.Options.DropletsDirectory, droplet.Hash + ".tgz");
        File.Copy(await ArchiveAsync("evil"), stored, overwrite: true);
        var store = _sandbox.Droplets();

        var error = await Assert.ThrowsAsync<InvalidDataException>(() => store.GetLocalPathAsync(droplet.Hash, CancellationToken.None));
        Assert.Contains(droplet.Hash, error.Message);
        await Assert.ThrowsAsync<FileNotFoundException>(() => store.GetLocalPathAsync(droplet.Hash, CancellationToken.None));
    }

    [Fact]
    public async Task GetLocalPathAsync_UnknownHash_FileNotFound()
    {
        await Assert.ThrowsAsync<FileNotFoundException>(() =>
            _sandbox.Droplets().GetLocalPathAsync(new string('a', 64), CancellationToken.None));
    }

    [Theory]
    [InlineData("../../etc/passwd")]
    [InlineData("abc")]
    [InlineData("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    public async Task GetLocalPathAsync_MalformedHash_ArgumentException(string hash)
    {
        await Assert.ThrowsAsync<ArgumentException>(() => _sandbox.Droplets().GetLocalPathAsync(hash, CancellationToken.None));
    }
}
