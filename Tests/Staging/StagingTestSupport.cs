using System.Collections.Concurrent;
using System.Formats.Tar;
using System.IO.Compression;
using System.Text;
using Granary.Logs;
using Granary.Silo.Staging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Granary.Tests.Staging;

/// <summary>A scratch folder per test with staging's directories inside; removed on dispose.</summary>
internal sealed class StagingSandbox : IDisposable
{
    public StagingSandbox()
    {
        Root = Path.Combine(Path.GetTempPath(), "granary-staging-tests", Guid.NewGuid().ToString("N"));
        Options = new StagingOptions
        {
            PackagesDirectory = Path.Combine(Root, "packages"),
            DropletsDirectory = Path.Combine(Root, "droplets"),
            WorkDirectory = Path.Combine(Root, "staging"),
        };
        Directory.CreateDirectory(Root);
    }

    public string Root { get; }

    public StagingOptions Options { get; }

    public CapturingLogEmitter Logs { get; } = new();

    public PackageStore Packages => new(Microsoft.Extensions.Options.Options.Create(Options), NullLogger<PackageStore>.Instance);

    public FileSystemDropletStore Droplets(TimeProvider? time = null) =>
        new(Microsoft.Extensions.Options.Options.Create(Options), time ?? TimeProvider.System, NullLogger<FileSystemDropletStore>.Instance);

    public Stager Stager(IDropletStore? droplets = null) =>
        new(Microsoft.Extensions.Options.Options.Create(Options), Packages, droplets ?? Droplets(), Logs, NullLogger<Stager>.Instance, TimeProvider.System);

    public string Folder(string name)
    {
        var path = Path.Combine(Root, name);
        Directory.CreateDirectory(path);
        return path;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}

internal sealed class CapturingLogEmitter : ILogEmitter
{
    private readonly ConcurrentQueue<(Guid AppId, string Source, LogStream Stream, string Text)> _lines = new();

    public IReadOnlyList<(Guid AppId, string Source, LogStream Stream, string Text)> Lines => _lines.ToList();

    public IEnumerable<string> Texts => _lines.Select(line => line.Text);

    public void Emit(Guid appId, string source, LogStream stream, string text) => _lines.Enqueue((appId, source, stream, text));
}

/// <summary>One entry of a test archive; modes are full st_mode values (type and permission bits).</summary>
internal sealed record TestEntry(string Name, string Content = "", int Mode = 0x81A4, string? LinkTarget = null, TarEntryType? TarType = null)
{
    public static TestEntry File(string name, string content = "x", int permissions = 0x1A4) => new(name, content, 0x8000 | permissions);

    public static TestEntry Symlink(string name, string target) => new(name, "", 0xA1FF, target, TarEntryType.SymbolicLink);
}

internal static class TestArchives
{
    public static byte[] Zip(params TestEntry[] entries)
    {
        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var entry in entries)
            {
                var zipEntry = zip.CreateEntry(entry.Name);
                zipEntry.ExternalAttributes = entry.Mode << 16;
                using var data = zipEntry.Open();
                data.Write(Encoding.UTF8.GetBytes(entry.LinkTarget ?? entry.Content));
            }
        }

        return buffer.ToArray();
    }

    public static byte[] TarGz(params TestEntry[] entries)
    {
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Fastest, leaveOpen: true))
        using (var tar = new TarWriter(gzip, TarEntryFormat.Pax))
        {
            foreach (var entry in entries)
            {
                var type = entry.TarType ?? TarEntryType.RegularFile;
                var tarEntry = new PaxTarEntry(type, entry.Name) { Mode = (UnixFileMode)(entry.Mode & 0xFFF) };
                if (entry.LinkTarget is not null)
                {
                    tarEntry.LinkName = entry.LinkTarget;
                }

                if (type == TarEntryType.RegularFile)
                {
                    tarEntry.DataStream = new MemoryStream(Encoding.UTF8.GetBytes(entry.Content));
                }

                tar.WriteEntry(tarEntry);
            }
        }

        return buffer.ToArray();
    }

    /// <summary>A folder as a tar.gz, leaving out build outputs a developer may have left in a sample.</summary>
    public static byte[] TarGzOfFolder(string folder)
    {
        string[] skipped = ["bin", "obj", "node_modules"];
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Fastest, leaveOpen: true))
        using (var tar = new TarWriter(gzip, TarEntryFormat.Pax))
        {
            var files = Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories)
                .Select(path => Path.GetRelativePath(folder, path).Replace('\\', '/'))
                .Where(relative => !skipped.Contains(relative.Split('/')[0]))
                .Order(StringComparer.Ordinal);
            foreach (var relative in files)
            {
                tar.WriteEntry(Path.Combine(folder, relative), relative);
            }
        }

        return buffer.ToArray();
    }

    public static string RepositoryRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (System.IO.File.Exists(Path.Combine(folder.FullName, "Orleans.sln")) && Directory.Exists(Path.Combine(folder.FullName, "samples")))
            {
                return folder.FullName;
            }
        }

        throw new InvalidOperationException("cannot find the repository root above " + AppContext.BaseDirectory);
    }

    public static string Sample(string name) => Path.Combine(RepositoryRoot(), "samples", name);
}
