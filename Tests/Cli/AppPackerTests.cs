using System.Runtime.Versioning;
using System.Formats.Tar;
using System.IO.Compression;
using Granary.Cli.Push;

namespace Granary.Tests.Cli;

// Granary runs on Linux: these tests check unix modes, signals and /proc.
[SupportedOSPlatform("linux")]

public class AppPackerTests
{
    private static async Task<Dictionary<string, TarEntry>> PackAndReadAsync(string dir)
    {
        var archive = Path.Combine(Path.GetTempPath(), $"granary-pack-test-{Guid.NewGuid():N}.tar.gz");
        try
        {
            await AppPacker.PackAsync(dir, archive, CancellationToken.None);
            var entries = new Dictionary<string, TarEntry>();
            await using var file = File.OpenRead(archive);
            await using var gzip = new GZipStream(file, CompressionMode.Decompress);
            using var reader = new TarReader(gzip);
            while (reader.GetNextEntry(copyData: true) is { } entry)
                entries[entry.Name.TrimEnd('/')] = entry;
            return entries;
        }
        finally
        {
            File.Delete(archive);
        }
    }

    [Fact]
    public async Task PackAsync_Folder_KeepsFilesWithRelativeNames()
    {
        using var dir = new TempDir();
        dir.File("index.js", "console.log(1)");
        dir.File("lib/util.js", "x");

        var entries = await PackAndReadAsync(dir.Path);

        Assert.Equal(TarEntryType.RegularFile, entries["index.js"].EntryType);
        Assert.Equal(TarEntryType.Directory, entries["lib"].EntryType);
        Assert.Equal("x", new StreamReader(entries["lib/util.js"].DataStream!).ReadToEnd());
        Assert.DoesNotContain(entries.Keys, k => k.StartsWith('/') || k.Contains(".."));
    }

    [Fact]
    public async Task PackAsync_ExecutableFile_KeepsItsMode()
    {
        using var dir = new TempDir();
        var script = dir.File("run.sh", "#!/bin/sh\necho hi\n");
        File.SetUnixFileMode(script, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute);

        var entries = await PackAndReadAsync(dir.Path);

        Assert.True(entries["run.sh"].Mode.HasFlag(UnixFileMode.UserExecute));
        Assert.True(entries["run.sh"].Mode.HasFlag(UnixFileMode.GroupExecute));
        Assert.False(entries["run.sh"].Mode.HasFlag(UnixFileMode.OtherExecute));
    }

    [Fact]
    public async Task PackAsync_Symlinks_StayLinksAndAreNeverFollowed()
    {
        using var dir = new TempDir();
        using var outside = new TempDir();
        outside.File("secret.txt", "do not upload");
        dir.File("real.txt", "r");
        File.CreateSymbolicLink(Path.Combine(dir.Path, "alias.txt"), "real.txt");
        Directory.CreateSymbolicLink(Path.Combine(dir.Path, "elsewhere"), outside.Path);

        var entries = await PackAndReadAsync(dir.Path);

        Assert.Equal(TarEntryType.SymbolicLink, entries["alias.txt"].EntryType);
        Assert.Equal("real.txt", entries["alias.txt"].LinkName);
        Assert.Equal(TarEntryType.SymbolicLink, entries["elsewhere"].EntryType);
        Assert.DoesNotContain(entries.Keys, k => k.Contains("secret.txt"));
    }

    [Fact]
    public async Task PackAsync_GitFolderAndIgnoredFiles_AreLeftOut()
    {
        using var dir = new TempDir();
        dir.File(".git/config", "x");
        dir.File("sub/.git/HEAD", "x");
        dir.File(".granaryignore", "# local stuff\n*.log\nnode_modules/\n/secrets.env\n");
        dir.File("app.js", "");
        dir.File("debug.log", "");
        dir.File("node_modules/x/index.js", "");
        dir.File("secrets.env", "");
        dir.File("config/secrets.env", "");

        var entries = await PackAndReadAsync(dir.Path);

        Assert.Contains("app.js", entries.Keys);
        Assert.Contains("config/secrets.env", entries.Keys);
        Assert.DoesNotContain(entries.Keys, k => k.Split('/').Contains(".git"));
        Assert.DoesNotContain("debug.log", entries.Keys);
        Assert.DoesNotContain(entries.Keys, k => k.StartsWith("node_modules"));
        Assert.DoesNotContain("secrets.env", entries.Keys);
    }

    [Fact]
    public async Task PackAsync_Result_CountsFilesNotDirectories()
    {
        using var dir = new TempDir();
        dir.File("a/b/c.txt", "c");
        dir.File("d.txt", "d");
        var archive = Path.Combine(dir.Path, "..", $"granary-count-{Guid.NewGuid():N}.tar.gz");

        try
        {
            var result = await AppPacker.PackAsync(dir.Path, archive, CancellationToken.None);

            Assert.Equal(2, result.FileCount);
            Assert.Empty(result.Skipped);
        }
        finally
        {
            File.Delete(archive);
        }
    }

    [Fact]
    public async Task PackAsync_Fifo_IsSkippedAndReported()
    {
        using var dir = new TempDir();
        dir.File("app.js", "");
        using (var mkfifo = System.Diagnostics.Process.Start("mkfifo", Path.Combine(dir.Path, "pipe")))
            await mkfifo.WaitForExitAsync();
        var archive = Path.Combine(Path.GetTempPath(), $"granary-fifo-{Guid.NewGuid():N}.tar.gz");

        try
        {
            var result = await AppPacker.PackAsync(dir.Path, archive, CancellationToken.None);

            Assert.Equal(["pipe"], result.Skipped);
            Assert.Equal(1, result.FileCount);
        }
        finally
        {
            File.Delete(archive);
        }
    }

    [Fact]
    public async Task PackAsync_EmptyRegularFile_IsKept()
    {
        using var dir = new TempDir();
        dir.File("empty.txt", "");

        var entries = await PackAndReadAsync(dir.Path);

        Assert.Equal(TarEntryType.RegularFile, entries["empty.txt"].EntryType);
    }
}
