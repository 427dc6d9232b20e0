using System.Formats.Tar;
using System.IO.Compression;

namespace Granary.Cli.Push;

/// <summary>What <see cref="AppPacker"/> wrote.</summary>
internal sealed record PackResult(string ArchivePath, int FileCount, IReadOnlyList<string> Skipped);

/// <summary>
/// Packs an app folder into a .tar.gz the way the stager expects it: symlinks stay symlinks (never
/// followed, so a link cannot smuggle files from outside the folder) and unix modes are kept
/// (executables stay executable).
/// </summary>
internal static class AppPacker
{
    public static async Task<PackResult> PackAsync(string directory, string archivePath, CancellationToken ct)
    {
        var root = Path.GetFullPath(directory);
        var rules = IgnoreRules.Load(root);
        var skipped = new List<string>();
        var files = 0;
        await using (var file = File.Create(archivePath))
        await using (var gzip = new GZipStream(file, CompressionLevel.Fastest))
        await using (var tar = new TarWriter(gzip, TarEntryFormat.Pax, leaveOpen: false))
        {
            foreach (var (fullPath, relative, isDirectory) in Walk(root, "", rules, skipped))
            {
                ct.ThrowIfCancellationRequested();
                // TarWriter reads the entry with lstat: links are written as links, modes as they are.
                await tar.WriteEntryAsync(fullPath, relative, ct);
                if (!isDirectory)
                    files++;
            }
        }
        return new PackResult(archivePath, files, skipped);
    }

    /// <summary>Entries to pack, parents before children, in a stable order.</summary>
    internal static IEnumerable<(string FullPath, string Relative, bool IsDirectory)> Walk(string root, string prefix, IgnoreRules rules, List<string> skipped)
    {
        var dir = new DirectoryInfo(prefix.Length == 0 ? root : Path.Combine(root, prefix));
        foreach (var entry in dir.EnumerateFileSystemInfos().OrderBy(e => e.Name, StringComparer.Ordinal))
        {
            var relative = prefix.Length == 0 ? entry.Name : prefix + "/" + entry.Name;
            var isLink = entry.LinkTarget is not null;
            var isDir = !isLink && entry is DirectoryInfo;
            if (isDir && entry.Name == ".git")
                continue;
            if (rules.IsIgnored(relative, isDir))
                continue;
            if (!isLink && !isDir && !IsRegularFile(entry))
            {
                skipped.Add(relative);
                continue;
            }
            yield return (entry.FullName, relative, isDir);
            if (isDir)
            {
                foreach (var child in Walk(root, relative, rules, skipped))
                    yield return child;
            }
        }
    }

    // Sockets, pipes and devices cannot be part of an app (the API refuses device files). .NET does not
    // expose a file's type, but they all report length 0, so only empty files need the (cheap) probe.
    private static bool IsRegularFile(FileSystemInfo entry)
    {
        if (entry is not FileInfo file)
            return false;
        if (file.Length > 0)
            return true;
        try
        {
            using var scratch = new MemoryStream();
            using (var probe = new TarWriter(scratch, TarEntryFormat.Pax, leaveOpen: true))
                probe.WriteEntry(file.FullName, "probe");
            scratch.Position = 0;
            return new TarReader(scratch).GetNextEntry()?.EntryType == TarEntryType.RegularFile;
        }
        catch (Exception e) when (e is IOException or InvalidOperationException or UnauthorizedAccessException)
        {
            return false;
        }
    }
}
