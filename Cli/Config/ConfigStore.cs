using System.Text.Json;
using Granary.Cli.Api;

namespace Granary.Cli.Config;

/// <summary>Reads and writes <c>config.json</c> under the Granary home.</summary>
internal sealed class ConfigStore(string home)
{
    public string Home { get; } = home;

    public string FilePath => Path.Combine(Home, "config.json");

    /// <summary>The home: <c>--home</c>, else <c>$GRANARY_HOME</c>, else <c>~/.granary</c>.</summary>
    public static string ResolveHome(string? option, Func<string, string?> env)
    {
        var chosen = !string.IsNullOrWhiteSpace(option) ? option
            : !string.IsNullOrWhiteSpace(env("GRANARY_HOME")) ? env("GRANARY_HOME")!
            : Path.Combine(env("HOME") ?? Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".granary");
        return Path.GetFullPath(chosen);
    }

    /// <summary>The file as stored, without environment overrides (what <c>target</c>/<c>login</c> edit).</summary>
    public CliConfig LoadFile()
    {
        if (!File.Exists(FilePath))
            return new CliConfig();
        try
        {
            return JsonSerializer.Deserialize(File.ReadAllText(FilePath), CliJsonContext.Default.CliConfig) ?? new CliConfig();
        }
        catch (JsonException e)
        {
            throw new CliException($"{FilePath} is not valid JSON ({e.Message}); fix or delete it");
        }
    }

    /// <summary>The effective config: the file, with <c>GRANARY_API</c>/<c>GRANARY_TOKEN</c> on top.</summary>
    public CliConfig LoadEffective(Func<string, string?> env) => ApplyEnvironment(LoadFile(), env);

    public static CliConfig ApplyEnvironment(CliConfig file, Func<string, string?> env)
    {
        var api = env("GRANARY_API");
        var token = env("GRANARY_TOKEN");
        var effective = file with { Api = NormalizeUrl(!string.IsNullOrWhiteSpace(api) ? api : file.Api ?? CliConfig.DefaultApi) };
        // A token from the environment is used as it is: the stored session is not refreshed in its stead.
        return string.IsNullOrWhiteSpace(token) ? effective : effective.LoggedOut() with { Token = token };
    }

    public void Save(CliConfig config)
    {
        Directory.CreateDirectory(Home);
        // The file holds a bearer token: readable by its owner only.
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        var tmp = FilePath + ".tmp";
        using (var stream = new FileStream(tmp, options))
            JsonSerializer.Serialize(stream, config, CliJsonContext.Default.CliConfig);
        File.Move(tmp, FilePath, overwrite: true);
    }

    public static string NormalizeUrl(string url)
    {
        var trimmed = url.Trim().TrimEnd('/');
        return trimmed.Contains("://", StringComparison.Ordinal) ? trimmed : "http://" + trimmed;
    }
}
