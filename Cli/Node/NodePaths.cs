namespace Granary.Cli.Node;

/// <summary>Where the node tool keeps one node's files: <c>$GRANARY_HOME/node/</c>.</summary>
internal sealed record NodePaths(string Home)
{
    public string Dir => Path.Combine(Home, "node");

    /// <summary>The node's config; owner-only because it holds the database password and the admin token.</summary>
    public string Config => Path.Combine(Dir, "node.json");

    /// <summary>What the silo keeps on disk: packages, droplet cache, instances.</summary>
    public string Data => Path.Combine(Dir, "data");

    public string Postgres => Path.Combine(Dir, "postgres");

    /// <summary>Environment file for systemd units (the secrets that never go on a command line).</summary>
    public string EnvironmentFile => Path.Combine(Dir, "granary.env");

    public string PidFile(string process) => Path.Combine(Dir, process + ".pid");

    public string LogFile(string process) => Path.Combine(Dir, process + ".log");
}
