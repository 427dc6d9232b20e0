namespace Granary.Silo.Staging;

/// <summary>Python: app.py, wsgi.py or requirements.txt at the root; only the standard library is assumed.</summary>
internal static class PythonRules
{
    public const string Framework = "python";
    public const string WsgiServer = "wsgi_server.py";

    /// <summary>Where requirements are installed, inside the droplet so the app carries its dependencies.</summary>
    public const string PackagesFolder = ".granary/python";

    public static LanguageMatch? Match(AppFiles files)
    {
        var hasApp = files.Contains("app.py");
        var hasWsgi = files.Contains("wsgi.py");
        var hasRequirements = files.Contains("requirements.txt");
        if (!hasApp && !hasWsgi && !hasRequirements)
        {
            return null;
        }

        IReadOnlyList<BuildStep> steps = hasRequirements
            ? [new BuildStep("pip install", $"python3 -m pip install --target {PackagesFolder} -r requirements.txt")]
            : [];
        var start = hasApp ? "python3 app.py" : hasWsgi ? $"python3 .granary/{WsgiServer}" : null;
        return new LanguageMatch(Framework, steps, start, StartError)
        {
            // An export rather than a VAR=value prefix, so it also reaches every command of a compound start command.
            StartPrefix = hasRequirements
                ? $"export PYTHONPATH=\"$PWD/{PackagesFolder}${{PYTHONPATH:+:$PYTHONPATH}}\" PATH=\"$PWD/{PackagesFolder}/bin:$PATH\"; "
                : "",
            SupportFiles = !hasApp && hasWsgi ? [WsgiServer] : [],
        };
    }

    private const string StartError =
        "requirements.txt was found but neither app.py nor wsgi.py: add app.py (a server reading $PORT), wsgi.py "
        + "(defining application or app), a Procfile web: line, or give --command";
}
