namespace Granary.Silo.Staging;

/// <summary>
/// The complete environment of a build step. Built from scratch, never copied from the silo, whose
/// environment holds secrets; package caches are shared between builds so only the first one is cold.
/// </summary>
internal static class BuildEnvironment
{
    public const string DefaultPath = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    public static IReadOnlyDictionary<string, string> For(string home, string temp, string cache, string? path) =>
        new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["PATH"] = string.IsNullOrWhiteSpace(path) ? DefaultPath : path,
            ["HOME"] = home,
            ["TMPDIR"] = temp,
            ["LANG"] = "C.UTF-8",

            ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1",
            ["DOTNET_NOLOGO"] = "1",
            ["DOTNET_SKIP_FIRST_TIME_EXPERIENCE"] = "1",
            ["DOTNET_CLI_WORKLOAD_UPDATE_NOTIFY_DISABLE"] = "1",
            ["DOTNET_GENERATE_ASPNET_CERTIFICATE"] = "false",
            // The CLI's own first-run state, shared so each build does not redo it in its fresh HOME.
            ["DOTNET_CLI_HOME"] = Path.Combine(cache, "dotnet-home"),
            // Long-lived MSBuild nodes would outlive the step; staging kills them anyway, so never start them.
            ["MSBUILDDISABLENODEREUSE"] = "1",
            ["DOTNET_CLI_USE_MSBUILD_SERVER"] = "0",
            ["NUGET_PACKAGES"] = Path.Combine(cache, "nuget", "packages"),
            ["NUGET_HTTP_CACHE_PATH"] = Path.Combine(cache, "nuget", "http"),

            ["npm_config_cache"] = Path.Combine(cache, "npm"),
            ["npm_config_update_notifier"] = "false",
            ["npm_config_fund"] = "false",
            ["npm_config_audit"] = "false",

            ["PIP_CACHE_DIR"] = Path.Combine(cache, "pip"),
            ["PIP_DISABLE_PIP_VERSION_CHECK"] = "1",
            ["PIP_NO_INPUT"] = "1",
        };

    /// <summary>The shared cache: beside the work directory, so it survives each build's folder being removed.</summary>
    public static string CacheFolder(string workDirectory)
    {
        var full = Path.TrimEndingDirectorySeparator(Path.GetFullPath(workDirectory));
        return Path.Combine(Path.GetDirectoryName(full) ?? full, "build-cache");
    }
}
