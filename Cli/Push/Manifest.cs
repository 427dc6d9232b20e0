using System.Globalization;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Granary.Cli.Push;

/// <summary>One entry of a manifest's <c>applications</c> list (the Cloud Foundry subset Granary reads).</summary>
internal sealed record ManifestApp(
    string? Name = null,
    int? Instances = null,
    int? MemoryMb = null,
    string? Command = null,
    IReadOnlyDictionary<string, string>? Env = null,
    IReadOnlyList<string>? Routes = null,
    IReadOnlyList<string>? Services = null,
    string? Path = null);

/// <summary>Parses <c>manifest.yml</c>. Keys Granary does not know (buildpack, disk_quota, …) are ignored.</summary>
internal static class Manifest
{
    public static IReadOnlyList<ManifestApp> Parse(string yaml, string source = "manifest.yml")
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(yaml));
        }
        catch (YamlException e)
        {
            throw new CliException($"{source} is not valid YAML: {e.Message}");
        }
        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlMappingNode root)
            throw new CliException($"{source} must be a mapping with an 'applications' list");
        if (Child(root, "applications") is not YamlSequenceNode apps)
            throw new CliException($"{source} has no 'applications' list");
        return apps.Children.Select((node, i) => ParseApp(node, $"{source}: applications[{i}]")).ToList();
    }

    /// <summary>
    /// The application to push: the one named <paramref name="name"/>, else the first. With a single
    /// application and a different --name, the flag renames it (as <c>cf push NAME</c> does).
    /// </summary>
    public static ManifestApp? Select(IReadOnlyList<ManifestApp> apps, string? name, string source = "manifest.yml")
    {
        if (apps.Count == 0)
            return null;
        if (name is null)
            return apps[0];
        var match = apps.FirstOrDefault(a => a.Name == name);
        if (match is not null)
            return match;
        if (apps.Count == 1)
            return apps[0];
        var names = string.Join(", ", apps.Select(a => a.Name ?? "(unnamed)"));
        throw new CliException($"{source} has no application named '{name}' (it has {names})");
    }

    private static ManifestApp ParseApp(YamlNode node, string where)
    {
        if (node is not YamlMappingNode map)
            throw new CliException($"{where} must be a mapping (name: …, instances: …)");
        var memory = Scalar(map, "memory", where);
        int? memoryMb = null;
        if (memory is not null)
            memoryMb = MemorySize.TryParse(memory, out var mb) ? mb : throw new CliException($"{where}.memory: {MemorySize.ErrorFor(memory)}");
        var instances = Scalar(map, "instances", where);
        int? instanceCount = null;
        if (instances is not null)
            instanceCount = int.TryParse(instances, NumberStyles.None, CultureInfo.InvariantCulture, out var n)
                ? n : throw new CliException($"{where}.instances: '{instances}' is not a whole number");
        return new ManifestApp(
            Name: Scalar(map, "name", where),
            Instances: instanceCount,
            MemoryMb: memoryMb,
            Command: Scalar(map, "command", where),
            Env: Env(map, where),
            Routes: Routes(map, where),
            Services: List(map, "services", "name", where),
            Path: Scalar(map, "path", where));
    }

    private static Dictionary<string, string>? Env(YamlMappingNode map, string where)
    {
        var node = Child(map, "env");
        if (node is null || IsNull(node))
            return null;
        if (node is not YamlMappingNode env)
            throw new CliException($"{where}.env must be a mapping of NAME: value");
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in env.Children)
        {
            var name = (key as YamlScalarNode)?.Value ?? throw new CliException($"{where}.env: names must be plain text");
            result[name] = value is YamlScalarNode s ? s.Value ?? "" : throw new CliException($"{where}.env.{name} must be a single value");
        }
        return result;
    }

    // routes: [{route: HOST}] are mapped on push, so each must name its host.
    private static List<string>? Routes(YamlMappingNode map, string where)
    {
        var node = Child(map, "routes");
        if (node is null || IsNull(node))
            return null;
        if (node is not YamlSequenceNode seq)
            throw new CliException($"{where}.routes must be a list of route: HOST entries");
        return seq.Children.Select((c, i) =>
            (c is YamlMappingNode m ? Child(m, "route") : null) is YamlScalarNode { Value: { Length: > 0 } host }
                ? host
                : throw new CliException($"{where}.routes[{i}] must be route: HOST (such as route: www.example.com)"))
            .ToList();
    }

    // services: [s] or [{name: s}]; Granary only reports them, so be lenient.
    private static List<string>? List(YamlMappingNode map, string key, string innerKey, string where)
    {
        var node = Child(map, key);
        if (node is null || IsNull(node))
            return null;
        if (node is not YamlSequenceNode seq)
            throw new CliException($"{where}.{key} must be a list");
        return seq.Children
            .Select(c => c is YamlMappingNode m ? (Child(m, innerKey) as YamlScalarNode)?.Value : (c as YamlScalarNode)?.Value)
            .Select(v => v ?? "?")
            .ToList();
    }

    private static string? Scalar(YamlMappingNode map, string key, string where) =>
        Child(map, key) switch
        {
            null => null,
            YamlScalarNode s when IsNull(s) => null,
            YamlScalarNode s => s.Value,
            _ => throw new CliException($"{where}.{key} must be a single value"),
        };

    private static YamlNode? Child(YamlMappingNode map, string key) =>
        map.Children.TryGetValue(new YamlScalarNode(key), out var node) ? node : null;

    private static bool IsNull(YamlNode node) =>
        node is YamlScalarNode { Style: ScalarStyle.Plain, Value: null or "" or "~" or "null" };
}
