using System.Text.Json;
using Granary.Cli.Api;

namespace Granary.Cli.Node;

/// <summary>The TCP ports of one node; other nodes reach the silo and gateway ports, users the API and edge.</summary>
internal sealed record NodePorts(int Api, int Edge, int Silo, int Gateway, int Postgres)
{
    public static readonly NodePorts Defaults = new(Api: 7700, Edge: 7780, Silo: 11111, Gateway: 30000, Postgres: 7432);
}

/// <summary>
/// One node of a cluster as <c>node setup core</c> or <c>node attach</c> wrote it to <c>node.json</c>: the input of
/// everything the node tool starts. <see cref="Database"/> and <see cref="AdminToken"/> are secrets: the file is
/// owner-only and they reach processes by environment, never by command line.
/// </summary>
/// <param name="CoreApi">The API every node's CLI talks to (the core's).</param>
/// <param name="ManagesPostgres">True on a core that runs the cluster's PostgreSQL itself (setup without --db).</param>
internal sealed record NodeConfig(
    string NodeId,
    IReadOnlyList<string> Roles,
    string ClusterId,
    string Advertise,
    string Domain,
    NodePorts Ports,
    string Database,
    string AdminToken,
    string CoreApi,
    bool ManagesPostgres,
    string Version)
{
    public bool Has(string role) => Roles.Contains(role, StringComparer.Ordinal);

    public string LocalApi => $"http://{Advertise}:{Ports.Api}";

    public string EdgeUrl => $"http://{Domain}:{Ports.Edge}";

    public static NodeConfig? Load(NodePaths paths)
    {
        if (!File.Exists(paths.Config))
            return null;
        try
        {
            return JsonSerializer.Deserialize(File.ReadAllText(paths.Config), CliJsonContext.Default.NodeConfig)
                ?? throw new JsonException("empty file");
        }
        catch (JsonException e)
        {
            throw new CliException($"{paths.Config} is not a valid node config ({e.Message}); fix it, or delete it and set the node up again");
        }
    }

    public static NodeConfig Require(NodePaths paths) => Load(paths)
        ?? throw new CliException($"this machine is not a Granary node ({paths.Config} does not exist): run granary node setup core, or granary node attach");

    /// <summary>Writes the file owner-only, through a temporary file so a crash never leaves half a config.</summary>
    public void Save(NodePaths paths)
    {
        Directory.CreateDirectory(paths.Dir);
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        var tmp = paths.Config + ".tmp";
        using (var stream = new FileStream(tmp, options))
            JsonSerializer.Serialize(stream, this, CliJsonContext.Default.NodeConfig);
        File.Move(tmp, paths.Config, overwrite: true);
    }
}
