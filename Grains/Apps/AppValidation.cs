using System.Text.RegularExpressions;
using Granary.Apps;

namespace Granary.Apps;

/// <summary>
/// The rules an app's desired state must satisfy. The API uses them to answer 422 with every problem
/// at once; the grain checks them again so no caller can store an invalid app.
/// </summary>
public static partial class AppValidation
{
    public const int MaxInstances = 256;
    public const int MinMemoryMb = 16;
    public const int MaxMemoryMb = 64 * 1024;
    public const int MaxCommandLength = 4096;
    public const int MaxEnvEntries = 256;
    public const int MaxEnvValueLength = 32 * 1024;

    // Names become host names (APP.DOMAIN): one DNS label.
    [GeneratedRegex("^[a-z](?:[a-z0-9-]{0,61}[a-z0-9])?$")]
    private static partial Regex NamePattern();

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]*$")]
    private static partial Regex EnvKeyPattern();

    /// <summary>Problems with the spec by field name; empty when it is valid.</summary>
    public static IReadOnlyDictionary<string, string[]> Validate(AppSpec spec)
    {
        var errors = new Dictionary<string, List<string>>();
        void Add(string field, string message) =>
            (errors.TryGetValue(field, out var list) ? list : errors[field] = []).Add(message);

        if (!NamePattern().IsMatch(spec.Name))
        {
            Add("name", $"'{spec.Name}' is not a valid app name: use 1-63 lowercase letters, digits and '-', starting with a letter and not ending with '-'");
        }

        if (spec.Instances is < 0 or > MaxInstances)
        {
            Add("instances", $"instances must be between 0 and {MaxInstances}, not {spec.Instances}");
        }

        if (spec.MemoryMb is < MinMemoryMb or > MaxMemoryMb)
        {
            Add("memoryMb", $"memory must be between {MinMemoryMb} MB and {MaxMemoryMb} MB, not {spec.MemoryMb} MB");
        }

        if (spec.Command is { } command && (command.Length > MaxCommandLength || string.IsNullOrWhiteSpace(command)))
        {
            Add("command", $"the command must be non-blank and at most {MaxCommandLength} characters");
        }

        ValidateEnv(spec, Add);
        ValidateHealthCheck(spec.HealthCheck, Add);
        return errors.ToDictionary(e => e.Key, e => e.Value.ToArray());
    }

    private static void ValidateEnv(AppSpec spec, Action<string, string> add)
    {
        if (spec.Env.Count > MaxEnvEntries)
        {
            add("env", $"at most {MaxEnvEntries} environment variables are allowed");
        }

        foreach (var (key, value) in spec.Env)
        {
            if (!EnvKeyPattern().IsMatch(key))
            {
                add("env", $"'{key}' is not a valid environment variable name: use letters, digits and '_', not starting with a digit");
            }
            else if (IsReserved(key))
            {
                add("env", $"'{key}' is set by Granary itself and cannot be overridden");
            }

            if (value.Length > MaxEnvValueLength)
            {
                add("env", $"the value of '{key}' is longer than {MaxEnvValueLength} characters");
            }
        }
    }

    private static void ValidateHealthCheck(HealthCheckSpec check, Action<string, string> add)
    {
        if (!Enum.IsDefined(check.Type))
        {
            add("healthCheck.type", "the health check type must be PORT, HTTP or PROCESS");
        }

        if (check.Type == HealthCheckType.Http && (check.Path is null || !check.Path.StartsWith('/') || check.Path.Length > 1024))
        {
            add("healthCheck.path", "an HTTP health check needs a path starting with '/', such as /health");
        }

        if (check.TimeoutSeconds is < 1 or > 600)
        {
            add("healthCheck.timeoutSeconds", $"the health check timeout must be between 1 and 600 seconds, not {check.TimeoutSeconds}");
        }
    }

    /// <summary>Variables the DEA sets for every instance; a user value would break the platform's contract.</summary>
    public static bool IsReserved(string key) =>
        key is "PORT" or "HOME" or "TMPDIR" || key.StartsWith("GRANARY_", StringComparison.Ordinal);

    [GeneratedRegex("^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)(\\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*$")]
    private static partial Regex HostPattern();

    /// <summary>A DNS host name of lowercase labels: what a route may be.</summary>
    public static bool IsValidHost(string host) => HostPattern().IsMatch(host);
}
