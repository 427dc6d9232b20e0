using System.Text.Json;

namespace Granary.Silo.Staging;

/// <summary>Node.js: a package.json at the root.</summary>
internal static class NodeRules
{
    public const string Framework = "node";
    private static readonly string[] ConventionalEntryPoints = ["server.js", "index.js", "app.js"];

    public static LanguageMatch? Match(AppFiles files)
    {
        if (!files.Contains("package.json"))
        {
            return null;
        }

        if (files.ReadText("package.json") is not { } text)
        {
            return LanguageMatch.Broken(Framework, "package.json could not be read: it must be a plain file (not a link) of at most 1 MB");
        }

        JsonElement package;
        try
        {
            using var document = JsonDocument.Parse(text);
            package = document.RootElement.Clone();
        }
        catch (JsonException e)
        {
            return LanguageMatch.Broken(Framework, $"package.json is not valid JSON: {e.Message}");
        }

        if (package.ValueKind != JsonValueKind.Object)
        {
            return LanguageMatch.Broken(Framework, "package.json must hold a JSON object");
        }

        var (steps, notes) = Install(package, files);
        return new LanguageMatch(Framework, steps, Start(package, files), StartError) { Notes = notes };
    }

    private const string StartError =
        "package.json has no scripts.start, its main file is missing, and there is no server.js, index.js or app.js: "
        + "add \"scripts\": { \"start\": \"node server.js\" } to package.json (naming your server file), or give --command";

    private static (IReadOnlyList<BuildStep> Steps, IReadOnlyList<string> Notes) Install(JsonElement package, AppFiles files)
    {
        var hasDependencies = package.TryGetProperty("dependencies", out var dependencies)
            && dependencies.ValueKind == JsonValueKind.Object
            && dependencies.EnumerateObject().Any();
        if (!hasDependencies)
        {
            return ([], []);
        }

        // npm ci installs exactly the lock file and refuses to run without one.
        if (files.Contains("package-lock.json") || files.Contains("npm-shrinkwrap.json"))
        {
            return ([new BuildStep("npm ci", "npm ci --omit=dev --no-audit --no-fund")], []);
        }

        return (
            [new BuildStep("npm install", "npm install --omit=dev --no-audit --no-fund")],
            ["No package-lock.json: installing with npm install, so versions may differ between builds. Commit a lock file (npm install writes one) for repeatable builds."]);
    }

    private static string? Start(JsonElement package, AppFiles files)
    {
        if (package.TryGetProperty("scripts", out var scripts)
            && scripts.ValueKind == JsonValueKind.Object
            && scripts.TryGetProperty("start", out var start)
            && start.ValueKind == JsonValueKind.String
            && !string.IsNullOrWhiteSpace(start.GetString()))
        {
            // What npm start does, without npm: the script through sh, with node_modules/.bin on PATH (the
            // DEA puts it there). That saves npm's half-second start-up and a process per instance; npm start
            // itself is kept only when pre/post hooks exist, as only npm runs those.
            return scripts.TryGetProperty("prestart", out _) || scripts.TryGetProperty("poststart", out _)
                ? "npm start"
                : start.GetString()!.Trim();
        }

        // npm init writes "main": "index.js" whether or not the file exists, so only a main that is there counts.
        if (package.TryGetProperty("main", out var main) && main.ValueKind == JsonValueKind.String
            && ResolveMain(main.GetString()!, files) is { } mainFile)
        {
            return "node " + Shell.Quote(mainFile);
        }

        return ConventionalEntryPoints.FirstOrDefault(files.Contains) is { } entry ? "node " + entry : null;
    }

    // The ways require() would find "main": the file itself, with .js added, or the folder's index.js.
    private static string? ResolveMain(string main, AppFiles files)
    {
        var path = ArchivePath.Normalize(main, out var error);
        if (error is not null || path.Length == 0)
        {
            return null;
        }

        return new[] { path, path + ".js", path + "/index.js" }.FirstOrDefault(files.Contains);
    }
}
