namespace Granary.Silo.Staging;

/// <summary>A command staging runs in the app folder before packing; <see cref="Name"/> is what errors call it.</summary>
public sealed record BuildStep(string Name, string Command);

/// <summary>How to build and start an app, as framework detection decided.</summary>
/// <param name="Framework">node, python, static, dotnet, procfile or command.</param>
/// <param name="StartCommand">A /bin/sh command line run from the droplet's root with PORT set.</param>
/// <param name="BuildSteps">Run in order in the app folder; the first failure fails staging.</param>
/// <param name="Notes">Things the user should hear about, printed in the staging log.</param>
/// <param name="SupportFiles">Granary-provided helpers to copy into the droplet's .granary/ folder.</param>
/// <param name="DropletFolder">
/// The folder, relative to the app folder, whose contents become the droplet; null for the app folder itself.
/// </param>
public sealed record Detection(
    string Framework,
    string StartCommand,
    IReadOnlyList<BuildStep> BuildSteps,
    IReadOnlyList<string> Notes,
    IReadOnlyList<string> SupportFiles,
    string? DropletFolder);

/// <summary>Either a <see cref="Detection"/> or an error message a user can act on.</summary>
public sealed record DetectionResult(Detection? Detected, string? Error)
{
    public static DetectionResult Ok(Detection detection) => new(detection, null);

    public static DetectionResult Fail(string error) => new(null, error);
}

/// <summary>What one language's rules found; <see cref="Error"/> means the app is broken for that language.</summary>
internal sealed record LanguageMatch(string Framework, IReadOnlyList<BuildStep> BuildSteps, string? DefaultStart, string? StartError)
{
    /// <summary>Shell text put before any start command, for environment the language's build set up.</summary>
    public string StartPrefix { get; init; } = "";

    public IReadOnlyList<string> Notes { get; init; } = [];

    /// <summary>Helpers the <see cref="DefaultStart"/> runs; not copied when the user chose the start command.</summary>
    public IReadOnlyList<string> SupportFiles { get; init; } = [];

    public string? DropletFolder { get; init; }

    public string? Error { get; init; }

    public static LanguageMatch Broken(string framework, string error) => new(framework, [], null, null) { Error = error };
}
