using System.Text;

namespace Granary.Cli.Node;

/// <summary>
/// systemd units for a node's processes, from the same plan the supervisor uses. systemd then does the supervisor's
/// job (Restart=always); the secrets the plan passes by environment go to an owner-only EnvironmentFile.
/// </summary>
internal static class SystemdUnits
{
    /// <summary>Pure: the unit files, each under a comment naming where it goes.</summary>
    public static string Render(NodeConfig config, NodePaths paths, IReadOnlyList<NodeProcess> plan)
    {
        var text = new StringBuilder();
        text.AppendLine($"# Units for Granary node {config.NodeId} (roles {string.Join(',', config.Roles)}).");
        text.AppendLine($"# Their secrets are in {paths.EnvironmentFile} (owner-only, written by this command).");
        text.AppendLine("# Stop the node tool's own processes first (granary node stop --keep-db: a core's PostgreSQL stays with the node tool),");
        text.AppendLine("# save each unit below as the file it names, then: systemctl daemon-reload && systemctl enable --now " +
                        string.Join(' ', plan.Select(p => $"granary-{p.Name}.service")));
        foreach (var process in plan)
        {
            text.AppendLine();
            text.AppendLine($"# /etc/systemd/system/granary-{process.Name}.service");
            text.AppendLine("[Unit]");
            text.AppendLine($"Description=Granary {process.Name} of node {config.NodeId}");
            text.AppendLine("After=network-online.target");
            text.AppendLine("Wants=network-online.target");
            if (process.Name == "edge")
                text.AppendLine("After=granary-silo.service");
            text.AppendLine();
            text.AppendLine("[Service]");
            text.AppendLine($"EnvironmentFile={paths.EnvironmentFile}");
            foreach (var (key, value) in process.Runtime ?? new Dictionary<string, string>())
                text.AppendLine($"Environment={Quote($"{key}={value}")}");
            text.AppendLine($"ExecStart={Quote(process.Program)} {string.Join(' ', process.Arguments.Select(Quote))}");
            text.AppendLine("Restart=always");
            text.AppendLine("RestartSec=1");
            // The silo drains its instances to other nodes on SIGTERM: give it the time it asks for.
            text.AppendLine("TimeoutStopSec=90");
            text.AppendLine("KillMode=mixed");
            text.AppendLine();
            text.AppendLine("[Install]");
            text.AppendLine("WantedBy=multi-user.target");
        }
        return text.ToString().TrimEnd();
    }

    /// <summary>Writes every process's environment (database, admin token) owner-only, one KEY=value per line.</summary>
    public static void WriteEnvironmentFile(NodePaths paths, IReadOnlyList<NodeProcess> plan)
    {
        var lines = plan.SelectMany(p => p.Environment).DistinctBy(kv => kv.Key).Select(kv => $"{kv.Key}={Quote(kv.Value)}");
        Directory.CreateDirectory(paths.Dir);
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        using var writer = new StreamWriter(new FileStream(paths.EnvironmentFile, options));
        foreach (var line in lines)
            writer.WriteLine(line);
    }

    /// <summary>systemd's quoting: double quotes when there is a space, quote or semicolon; backslash-escape inside.</summary>
    private static string Quote(string value) =>
        value.IndexOfAny([' ', '"', '\'', ';', '\\']) < 0 ? value : "\"" + value.Replace("\\", "\\\\").Replace("\"", "\\\"") + "\"";
}
