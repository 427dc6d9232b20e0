using System.Buffers;
using System.Text;

namespace Granary.Silo.Staging;

/// <summary>
/// Applies the safety rules to an archive's entries one by one, counting real bytes as they are read, and
/// optionally writes them under a destination folder. Links are checked and created only once every entry
/// is known, so no file is ever written through a link the archive itself planted.
/// </summary>
internal sealed class ArchiveWalk(ArchiveLimits limits, string? destination, Func<string, bool> keepText)
{
    private const int MaxTextBytes = 1024 * 1024;

    private readonly Dictionary<string, ArchiveItemKind> _kinds = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _fileSizes = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _links = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _texts = new(StringComparer.Ordinal);
    private int _entries;
    private long _bytes;

    public async Task AddAsync(ArchiveItem item, Stream? data, CancellationToken cancellationToken)
    {
        if (++_entries > limits.MaxEntries)
        {
            throw new ArchiveRejectedException($"the archive holds more than {limits.MaxEntries} entries", tooLarge: true);
        }

        var path = ArchivePath.Normalize(item.Name, out var error);
        if (error is not null)
        {
            throw new ArchiveRejectedException(error);
        }

        switch (item.Kind)
        {
            case ArchiveItemKind.Directory:
                if (path.Length > 0)
                {
                    Record(path, ArchiveItemKind.Directory);
                    CreateDirectory(path);
                }

                break;
            case ArchiveItemKind.File when path.Length > 0:
                Record(path, ArchiveItemKind.File);
                await CopyFileAsync(path, item.ExtractedMode, data, cancellationToken);
                break;
            case ArchiveItemKind.SymbolicLink when path.Length > 0:
                Record(path, ArchiveItemKind.SymbolicLink);
                _links[path] = item.LinkTarget ?? "";
                break;
            case ArchiveItemKind.HardLink when path.Length > 0:
                AddHardLink(path, item.LinkTarget ?? "");
                break;
            case ArchiveItemKind.Unsupported:
                throw new ArchiveRejectedException($"the entry '{item.Name}' is a {item.Description ?? "special file"}; only files, folders and links are allowed");
            default:
                throw new ArchiveRejectedException($"the entry '{item.Name}' has no name");
        }
    }

    /// <summary>Checks every link against the complete set of links, creates them, and returns the listing.</summary>
    public ArchiveListing Finish()
    {
        foreach (var link in _links.Keys)
        {
            if (ArchivePath.CheckLink(_links, link) is { } error)
            {
                throw new ArchiveRejectedException(error);
            }
        }

        if (destination is not null)
        {
            foreach (var (link, target) in _links)
            {
                CreateDirectory(ArchivePath.Parent(link));
                File.CreateSymbolicLink(Path.Combine(destination, link), target);
            }
        }

        var paths = _kinds.Where(pair => pair.Value != ArchiveItemKind.Directory).Select(pair => pair.Key);
        var fileCount = _kinds.Values.Count(kind => kind is ArchiveItemKind.File or ArchiveItemKind.HardLink);
        return new ArchiveListing(new AppFiles(paths, _texts), fileCount, _bytes);
    }

    // Every ancestor must be a folder: a file planted at "a/b" after a link "a" would otherwise be written
    // through the link once links exist, or the two would silently fight over one path.
    private void Record(string path, ArchiveItemKind kind)
    {
        foreach (var ancestor in ArchivePath.Ancestors(path))
        {
            if (_kinds.TryGetValue(ancestor, out var existing) && existing != ArchiveItemKind.Directory)
            {
                throw new ArchiveRejectedException($"the entry '{path}' is inside '{ancestor}', which is {Describe(existing)}, not a folder");
            }

            _kinds[ancestor] = ArchiveItemKind.Directory;
        }

        // A repeated folder is harmless and a repeated file is how tar appends updates; anything else is ambiguous.
        if (_kinds.TryGetValue(path, out var previous)
            && (previous != kind || kind is ArchiveItemKind.SymbolicLink or ArchiveItemKind.HardLink))
        {
            throw new ArchiveRejectedException($"the archive holds '{path}' more than once, as different kinds of entry");
        }

        _kinds[path] = kind;
    }

    private async Task CopyFileAsync(string path, UnixFileMode mode, Stream? data, CancellationToken cancellationToken)
    {
        FileStream? output = null;
        if (destination is not null)
        {
            CreateDirectory(ArchivePath.Parent(path));
            output = new FileStream(Path.Combine(destination, path), FileMode.Create, FileAccess.Write, FileShare.None, 1, useAsync: true);
        }

        var text = keepText(path) ? new MemoryStream() : null;
        var buffer = ArrayPool<byte>.Shared.Rent(81920);
        long size = 0;
        try
        {
            int read;
            while (data is not null && (read = await data.ReadAsync(buffer, cancellationToken)) > 0)
            {
                size += read;
                Count(read);
                if (output is not null)
                {
                    await output.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
                }

                if (text is not null)
                {
                    text = text.Length + read > MaxTextBytes ? null : text;
                    text?.Write(buffer, 0, read);
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
            if (output is not null)
            {
                await output.DisposeAsync();
            }
        }

        _fileSizes[path] = size;
        if (text is not null)
        {
            _texts[path] = Encoding.UTF8.GetString(text.GetBuffer(), 0, (int)text.Length);
        }

        if (destination is not null)
        {
            FileModes.Set(Path.Combine(destination, path), mode);
        }
    }

    // Hard links become copies: a real hard link could share an inode with a file outside the folder
    // if the destination were ever reused, and a copy costs little for the rare archive that has them.
    private void AddHardLink(string path, string rawTarget)
    {
        var target = ArchivePath.Normalize(rawTarget, out var error);
        if (error is not null || target.Length == 0)
        {
            throw new ArchiveRejectedException($"the hard link '{path}' points to '{rawTarget}', outside the app folder");
        }

        if (!_kinds.TryGetValue(target, out var kind) || kind != ArchiveItemKind.File)
        {
            throw new ArchiveRejectedException($"the hard link '{path}' points to '{rawTarget}', which is not a file earlier in the archive");
        }

        Record(path, ArchiveItemKind.HardLink);
        Count(_fileSizes[target]);
        _fileSizes[path] = _fileSizes[target];
        if (destination is not null)
        {
            CreateDirectory(ArchivePath.Parent(path));
            File.Copy(Path.Combine(destination, target), Path.Combine(destination, path), overwrite: false);
        }
    }

    private void Count(long bytes)
    {
        _bytes += bytes;
        if (_bytes > limits.MaxUnpackedBytes)
        {
            throw new ArchiveRejectedException($"the archive unpacks to more than {Bytes.Describe(limits.MaxUnpackedBytes)}", tooLarge: true);
        }
    }

    private static string Describe(ArchiveItemKind kind) => kind switch
    {
        ArchiveItemKind.SymbolicLink => "a symbolic link",
        ArchiveItemKind.HardLink => "a hard link",
        _ => "a file",
    };

    private void CreateDirectory(string path)
    {
        if (destination is not null)
        {
            Directory.CreateDirectory(Path.Combine(destination, path));
        }
    }
}
