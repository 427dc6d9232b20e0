using System.Text.Json;
using Granary.Nodes;

namespace Granary.Silo.Dea;

/// <summary>The environment an instance process sees: the platform's variables, then the user's. Pure.</summary>
public static class InstanceEnvironment
{
    public static Dictionary<string, string> Build(InstanceSpec spec, int port, string appDirectory, string tmpDirectory,
        string advertiseHost, string? path, DateTimeOffset now)
    {
        var application = new Dictionary<string, object>
        {
            ["application_id"] = spec.AppId,
            ["application_name"] = spec.AppName,
            ["instance_index"] = spec.Index,
            ["instance_id"] = spec.InstanceId,
            ["application_uris"] = spec.Uris,
            ["host"] = advertiseHost,
            ["port"] = port,
            ["limits"] = new Dictionary<string, int> { ["mem"] = spec.MemoryMb },
            ["started_at"] = now.ToString("O"),
        };

        var env = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            // The app's own tools first, as npm run would have them (node_modules/.bin).
            ["PATH"] = $"{Path.Combine(appDirectory, "node_modules", ".bin")}:{path ?? "/usr/local/bin:/usr/bin:/bin"}",
            ["LANG"] = "C.UTF-8",
            ["NODE_ENV"] = "production",
            ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1",
            ["ASPNETCORE_URLS"] = $"http://0.0.0.0:{port}",
        };
        foreach (var (key, value) in spec.Env)
        {
            env[key] = value;
        }

        // Set last so nothing the user gave can change the platform's contract with the instance.
        env["PORT"] = port.ToString();
        env["HOME"] = appDirectory;
        env["TMPDIR"] = tmpDirectory;
        env["MEMORY_LIMIT"] = $"{spec.MemoryMb}m";
        env["GRANARY_APPLICATION"] = JsonSerializer.Serialize(application);
        env["GRANARY_INSTANCE_INDEX"] = spec.Index.ToString();
        env["GRANARY_INSTANCE_ID"] = spec.InstanceId.ToString();
        return env;
    }
}
