namespace Granary.Silo.Staging;

/// <summary>
/// What framework detection sees of an app: every file's path (relative, '/'-separated) and the text of
/// the few small files it reads (see <see cref="FrameworkDetector.ReadsText"/>). Plain data, so detection
/// is a pure function whether the files sit in an upload, an extracted folder or a test.
/// </summary>
public sealed class AppFiles
{
    private readonly HashSet<string> _paths;
    private readonly IReadOnlyDictionary<string, string> _texts;

    public AppFiles(IEnumerable<string> paths, IReadOnlyDictionary<string, string>? texts = null)
    {
        _paths = new HashSet<string>(paths, StringComparer.Ordinal);
        _texts = texts ?? new Dictionary<string, string>();
    }

    public IReadOnlySet<string> Paths => _paths;

    public bool Contains(string path) => _paths.Contains(path);

    /// <summary>The file's text, or null when it is absent or was too large to read.</summary>
    public string? ReadText(string path) => _texts.GetValueOrDefault(path);

    /// <summary>Files directly in the app's root folder.</summary>
    public IEnumerable<string> AtRoot => _paths.Where(path => !path.Contains('/'));

    /// <summary>Test and tooling shorthand: files given with their text.</summary>
    public static AppFiles Of(params (string Path, string Text)[] files) =>
        new(files.Select(file => file.Path), files.ToDictionary(file => file.Path, file => file.Text, StringComparer.Ordinal));
}
