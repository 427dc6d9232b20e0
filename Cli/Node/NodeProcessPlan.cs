namespace Granary.Cli.Node;

/// <summary>One long-running process of a node, as the supervisor (or a systemd unit) starts it.</summary>
/// <param name="Name">Names its pid and log files: <c>silo</c>, <c>edge</c>.</param>
/// <param name="Marker">What its command line contains, to tell it from an unrelated process that reused the pid.</param>
/// <param name="Environment">Secrets and settings passed by environment so no process listing shows them.</param>
/// <param name="Runtime">Runtime settings that are no secret and belong to this process only (see <see cref="EdgeRuntime"/>).</param>
internal sealed record NodeProcess(string Name, string Program, IReadOnlyList<string> Arguments,
    IReadOnlyDictionary<string, string> Environment, string Marker, IReadOnlyDictionary<string, string>? Runtime = null)
{
    /// <summary>Everything the process gets by environment.</summary>
    public IReadOnlyDictionary<string, string> FullEnvironment =>
        Runtime is null ? Environment : Environment.Concat(Runtime).ToDictionary(kv => kv.Key, kv => kv.Value);
}

/// <summary>Where the built programs are: the silo and edge assemblies and the dotnet host that runs them.</summary>
internal sealed record NodePrograms(string Dotnet, string SiloDll, string? EdgeDll);

/// <summary>Pure: a node's config → the processes it runs and their exact command lines.</summary>
internal static class NodeProcessPlan
{
    public const string SiloMarker = "Granary.Silo.dll";
    public const string EdgeMarker = "Granary.Edge.dll";

    public static IReadOnlyList<NodeProcess> For(NodeConfig config, NodePaths paths, NodePrograms programs)
    {
        var database = new Dictionary<string, string> { ["GRANARY_DATABASE"] = config.Database };
        var silo = new NodeProcess("silo", programs.Dotnet,
        [
            programs.SiloDll,
            // Every interface: the API is what users and other nodes' CLIs reach.
            "--urls", $"http://0.0.0.0:{config.Ports.Api}",
            $"--Granary:Home={paths.Data}",
            $"--Granary:NodeId={config.NodeId}",
            $"--Granary:Roles={string.Join(',', config.Roles)}",
            $"--Granary:Domain={config.Domain}",
            $"--Granary:ApiUrl={config.LocalApi}",
            $"--Granary:EdgeUrl={config.EdgeUrl}",
            // The edges of other nodes reach this node's instances here.
            $"--Granary:Dea:AdvertiseHost={config.Advertise}",
            $"--Orleans:ClusterId={config.ClusterId}",
            $"--Orleans:AdvertisedIP={config.Advertise}",
            $"--Orleans:SiloPort={config.Ports.Silo}",
            $"--Orleans:GatewayPort={config.Ports.Gateway}",
        ], new Dictionary<string, string>(database) { ["GRANARY_ADMIN_TOKEN"] = config.AdminToken }, SiloMarker);

        if (!config.Has(NodeRoles.Router) || programs.EdgeDll is null)
            return [silo];

        var edge = new NodeProcess("edge", programs.Dotnet,
        [
            programs.EdgeDll,
            "--urls", $"http://0.0.0.0:{config.Ports.Edge}",
            $"--Orleans:ClusterId={config.ClusterId}",
            $"--Granary:Domain={config.Domain}",
        ], database, EdgeMarker, EdgeRuntime.Settings);
        return [silo, edge];
    }

    /// <summary>The silo and edge next to the CLI in the build output (./granary builds all three into .artifacts/).</summary>
    public static NodePrograms Locate(Func<string, string?> env)
    {
        var silo = env("GRANARY_SILO_DLL") is { Length: > 0 } configured ? configured : Beside("silo", SiloMarker);
        if (!File.Exists(silo))
            throw new CliException($"cannot find {SiloMarker} at {silo} (build it with ./granary, or set GRANARY_SILO_DLL)");
        var edge = Beside("edge", EdgeMarker);
        return new NodePrograms(Granary.Cli.Micro.DetachedProcess.DotnetHost(), Path.GetFullPath(silo), File.Exists(edge) ? Path.GetFullPath(edge) : null);
    }

    private static string Beside(string folder, string file) => Path.Combine(AppContext.BaseDirectory, "..", folder, file);
}
