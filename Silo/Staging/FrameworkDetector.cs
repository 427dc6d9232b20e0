namespace Granary.Silo.Staging;

/// <summary>
/// Decides how to build and start an app from its files, Heroku-buildpack style. Pure: the same files
/// and command always give the same answer.
/// </summary>
/// <remarks>
/// Precedence: a language's rules (one *.csproj, then package.json, then Python files) choose the build
/// steps; the start command is the explicit command if any, else the Procfile's web: line, else the
/// language's default. A lone index.html is a static site only when nothing else says how to start.
/// </remarks>
public static class FrameworkDetector
{
    public const string UnknownAppError =
        "Granary could not tell how to run this app. At the top of the folder you push it looks for: package.json (Node.js), "
        + "app.py or wsgi.py (Python), index.html (a static site), exactly one *.csproj (.NET), or a Procfile with a web: line. "
        + "Add one of these, or give the start command with --command (for example --command \"./my-server\").";

    /// <summary>True for the files whose text detection reads; readers of an upload keep these (up to 1 MB).</summary>
    public static bool ReadsText(string path) =>
        path is "package.json" or Procfile.FileName
        || (!path.Contains('/') && path.EndsWith(".csproj", StringComparison.Ordinal));

    public static DetectionResult Detect(AppFiles files, string? command)
    {
        command = string.IsNullOrWhiteSpace(command) ? null : command.Trim();
        var matches = new[] { DotnetRules.Match(files), NodeRules.Match(files), PythonRules.Match(files) }
            .OfType<LanguageMatch>()
            .ToList();
        var language = matches.FirstOrDefault();
        if (language?.Error is { } error)
        {
            return DetectionResult.Fail(error);
        }

        var web = Procfile.WebCommand(files);
        if (language is null && command is null && web is null && files.Contains(StaticRules.IndexFile))
        {
            language = StaticRules.Match;
        }

        var start = command ?? web ?? language?.DefaultStart;
        if (start is null)
        {
            return DetectionResult.Fail(language?.StartError ?? UnknownAppError);
        }

        var framework = language?.Framework ?? (command is not null ? "command" : "procfile");
        var notes = new List<string>(language?.Notes ?? []);
        if (matches.Count > 1)
        {
            notes.Add($"Found files of more than one kind of app ({string.Join(", ", matches.Select(match => match.Framework))}); building it as {framework}.");
        }

        var usesDefaultStart = command is null && web is null;
        return DetectionResult.Ok(new Detection(
            framework,
            (language?.StartPrefix ?? "") + start,
            language?.BuildSteps ?? [],
            notes,
            usesDefaultStart ? language?.SupportFiles ?? [] : [],
            language?.DropletFolder));
    }
}
