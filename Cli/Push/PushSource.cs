namespace Granary.Cli.Push;

/// <summary>What gets uploaded: a folder to pack, or an archive the user already made.</summary>
internal sealed record PushSource(string Path, bool IsArchive)
{
    public static readonly string[] ArchiveExtensions = [".tar.gz", ".tgz", ".zip"];

    public string ContentType => Path.EndsWith(".zip", StringComparison.OrdinalIgnoreCase) ? "application/zip" : "application/gzip";

    public static PushSource Resolve(string path)
    {
        var full = System.IO.Path.GetFullPath(path);
        if (Directory.Exists(full))
            return new PushSource(full, false);
        if (File.Exists(full))
        {
            if (ArchiveExtensions.Any(e => full.EndsWith(e, StringComparison.OrdinalIgnoreCase)))
                return new PushSource(full, true);
            throw new CliException($"{path} is a file: push a folder, or a .zip, .tar.gz or .tgz archive");
        }
        throw new CliException($"{path} does not exist");
    }
}
