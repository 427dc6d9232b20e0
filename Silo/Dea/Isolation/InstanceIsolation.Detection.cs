using Granary.Silo.Hosting;
using Granary.Silo.Processes;

namespace Granary.Silo.Dea.Isolation;

/// <summary>Finding out, when the node starts, whether this machine can isolate instances.</summary>
public sealed partial class InstanceIsolation
{
    /// <summary>Looks at this machine and, where everything needed is there, proves it by running a sandboxed command.</summary>
    public static InstanceIsolation Detect(DeaOptions options, NodeSettings node)
    {
        var parent = $"{options.Isolation.CgroupRoot.Trim('/')}/{NodeSlug(node.NodeId, options.InstancesDirectory)}";
        var problems = new List<string>();
        if (!options.Isolation.Enabled)
        {
            return None(options, node, "isolation is turned off (Granary:Dea:Isolation:Enabled=false)");
        }

        if (!Environment.IsPrivilegedProcess)
        {
            problems.Add("the silo does not run as root");
        }

        var (layout, cgroupProblem) = CgroupLayout.Detect(ReadLines("/proc/self/mountinfo"),
            mount => ReadText(Path.Combine(mount, "cgroup.controllers")));
        if (cgroupProblem is not null)
        {
            problems.Add(cgroupProblem);
        }

        foreach (var (tool, package) in new[] { (options.Isolation.Bwrap, "bubblewrap"), (options.Isolation.Setpriv, "util-linux") })
        {
            if (FindOnPath(tool) is null)
            {
                problems.Add($"{tool} is not installed (apt-get install {package})");
            }
        }

        if (problems.Count > 0)
        {
            return new InstanceIsolation(options, parent, null, null, new NodeIsolation(NodeIsolation.None, problems, "none"));
        }

        ICgroupDriver cgroups = layout!.Version == CgroupVersion.V2 ? new CgroupV2(layout) : new CgroupV1(layout);
        var host = HostDiscovery.Discover(Environment.GetEnvironmentVariable("PATH"), options.Isolation.ReadOnlyPaths);
        var description = $"{NodeIsolation.Full}: uid {options.Isolation.FirstUid}+, cgroup {(layout.Version == CgroupVersion.V2 ? "v2" : "v1")}, bubblewrap";
        var isolation = new InstanceIsolation(options, parent, cgroups, host, new NodeIsolation(NodeIsolation.Full, [], description));
        if (isolation.Prove() is { } failure)
        {
            isolation.Level = new NodeIsolation(NodeIsolation.None, [failure], "none");
        }

        return isolation;
    }

    /// <summary>A node that does not isolate, for the reason given (it has no DEA role, or a test wants one).</summary>
    public static InstanceIsolation None(DeaOptions options, NodeSettings node, string problem) =>
        new(options, $"{options.Isolation.CgroupRoot.Trim('/')}/{NodeSlug(node.NodeId, options.InstancesDirectory)}", null, null,
            new NodeIsolation(NodeIsolation.None, [problem], NodeIsolation.None));

    private static IEnumerable<string> ReadLines(string file) => File.Exists(file) ? File.ReadLines(file) : [];

    private static string? ReadText(string file)
    {
        try
        {
            return File.ReadAllText(file);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static string? FindOnPath(string tool) => tool.Contains('/')
        ? File.Exists(tool) ? tool : null
        : (Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin:/bin").Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Select(d => Path.Combine(d, tool)).FirstOrDefault(File.Exists);

    /// <summary>Runs `id -u` the way an instance runs: null when it ran as its own uid, else what went wrong.</summary>
    private string? Prove()
    {
        var directory = Path.Combine(_options.InstancesDirectory, $"probe-{Guid.NewGuid():N}");
        Sandbox? sandbox = null;
        try
        {
            Directory.CreateDirectory(Path.Combine(directory, "app"));
            Directory.CreateDirectory(Path.Combine(directory, "tmp"));
            sandbox = Prepare(Guid.NewGuid(), "probe", 0, 64, directory, Path.Combine(directory, "app"), Path.Combine(directory, "tmp"));
            var output = new System.Collections.Concurrent.ConcurrentQueue<string>();
            using var child = ChildProcess.Start(new ChildProcessStart("id -u", Path.Combine(directory, "app"),
                new Dictionary<string, string> { ["PATH"] = sandbox.Path }, sandbox.Containment), (_, line) => output.Enqueue(line));
            var code = child.Exited.Wait(TimeSpan.FromSeconds(20)) ? child.Exited.Result : -1;
            return code == 0 && output.Contains(sandbox.Uid.ToString())
                ? null
                : $"a sandboxed test command failed (exit code {code}): {string.Join(" / ", output.TakeLast(3))}";
        }
        catch (Exception e)
        {
            return $"a sandboxed test command could not run: {e.Message}";
        }
        finally
        {
            if (sandbox is not null)
            {
                ReleaseAsync(sandbox).GetAwaiter().GetResult();
                RemoveParent(); // made again with the first instance; until then the node leaves nothing behind
            }

            try
            {
                Directory.Delete(directory, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }
}
