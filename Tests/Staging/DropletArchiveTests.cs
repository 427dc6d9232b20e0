using System.Runtime.Versioning;
using Granary.Silo.Staging;

namespace Granary.Tests.Staging;

// Unix file modes are the point of several tests here; Granary runs only on Linux.
[UnsupportedOSPlatform("windows")]
public sealed class DropletArchiveTests : IDisposable
{
    private readonly StagingSandbox _sandbox = new();

    public void Dispose() => _sandbox.Dispose();

    [Fact]
    public async Task ExtractAsync_PackedFolder_SameFilesExecBitsAndLinks()
    {
        var source = _sandbox.Folder("source");
        Directory.CreateDirectory(Path.Combine(source, "bin"));
        await File.WriteAllTextAsync(Path.Combine(source, "bin", "run"), "#!/bin/sh\necho hi\n");
        File.SetUnixFileMode(Path.Combine(source, "bin", "run"), (UnixFileMode)0b111_101_101);
        await File.WriteAllTextAsync(Path.Combine(source, "readme.txt"), "hello");
        File.CreateSymbolicLink(Path.Combine(source, "start"), "bin/run");
        var archive = Path.Combine(_sandbox.Root, "droplet.tgz");
        await DropletArchive.PackAsync(source, archive, CancellationToken.None);
        var destination = Path.Combine(_sandbox.Root, "out");

        await DropletArchive.ExtractAsync(archive, destination, CancellationToken.None);

        Assert.Equal("hello", await File.ReadAllTextAsync(Path.Combine(destination, "readme.txt")));
        Assert.True(File.GetUnixFileMode(Path.Combine(destination, "bin", "run")).HasFlag(UnixFileMode.UserExecute));
        Assert.False(File.GetUnixFileMode(Path.Combine(destination, "readme.txt")).HasFlag(UnixFileMode.UserExecute));
        Assert.Equal("bin/run", new FileInfo(Path.Combine(destination, "start")).LinkTarget);
    }

    [Fact]
    public async Task ExtractAsync_LinkOutOfFolder_InvalidDataAndNothingLeft()
    {
        var archive = Path.Combine(_sandbox.Root, "evil.tgz");
        await File.WriteAllBytesAsync(archive, TestArchives.TarGz(TestEntry.File("a.txt"), TestEntry.Symlink("passwd", "/etc/passwd")));
        var destination = Path.Combine(_sandbox.Root, "out");

        var error = await Assert.ThrowsAsync<InvalidDataException>(() => DropletArchive.ExtractAsync(archive, destination, CancellationToken.None));

        Assert.Contains("'passwd'", error.Message);
        Assert.False(Directory.Exists(destination));
    }

    [Fact]
    public async Task ExtractAsync_ZipDroplet_InvalidData()
    {
        var archive = Path.Combine(_sandbox.Root, "droplet.zip");
        await File.WriteAllBytesAsync(archive, TestArchives.Zip(TestEntry.File("a.txt")));

        await Assert.ThrowsAsync<InvalidDataException>(() => DropletArchive.ExtractAsync(archive, Path.Combine(_sandbox.Root, "out"), CancellationToken.None));
    }

    [Fact]
    public async Task ExtractAsync_DestinationNotEmpty_RefusedWithoutTouchingIt()
    {
        var archive = Path.Combine(_sandbox.Root, "droplet.tgz");
        await File.WriteAllBytesAsync(archive, TestArchives.TarGz(TestEntry.File("a.txt", "new")));
        var destination = _sandbox.Folder("out");
        await File.WriteAllTextAsync(Path.Combine(destination, "a.txt"), "old");

        await Assert.ThrowsAsync<IOException>(() => DropletArchive.ExtractAsync(archive, destination, CancellationToken.None));

        Assert.Equal("old", await File.ReadAllTextAsync(Path.Combine(destination, "a.txt")));
    }

    [Fact]
    public async Task ReadAsync_ZipWithUnixModes_KeepsExecBitDropsSetuid()
    {
        var archive = Path.Combine(_sandbox.Root, "app.zip");
        await File.WriteAllBytesAsync(archive, TestArchives.Zip(
            TestEntry.File("run.sh", "#!/bin/sh", permissions: 0xDED), // setuid + 0755
            TestEntry.File("data.txt", "x", permissions: 0x100)));     // 0400
        var destination = Path.Combine(_sandbox.Root, "out");

        await PackageArchive.ReadAsync(archive, ArchiveLimits.Droplet, destination, _ => false, CancellationToken.None);

        Assert.Equal((UnixFileMode)0b111_101_101, File.GetUnixFileMode(Path.Combine(destination, "run.sh")));
        Assert.Equal((UnixFileMode)0b110_100_100, File.GetUnixFileMode(Path.Combine(destination, "data.txt")));
    }
}
