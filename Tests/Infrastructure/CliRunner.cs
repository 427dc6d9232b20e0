using System.Diagnostics;
using System.Text;

namespace Granary.Tests.Infrastructure;

public sealed record CliResult(int ExitCode, string Out, string Err)
{
    public string All => Out + Err;
}

/// <summary>
/// Runs the real ./granary script, as a user types it, against a home of the test's own; inside a network
/// namespace when one is given (a stand-in VM of the cluster tests).
/// </summary>
public sealed class CliRunner(string home, string? netns = null)
{
    public string Home => home;

    public async Task<CliResult> RunAsync(params string[] args) => await RunAsync(TimeSpan.FromMinutes(5), args);

    public async Task<CliResult> RunAsync(TimeSpan timeout, params string[] args)
    {
        var info = new ProcessStartInfo(netns is null ? "bash" : "ip") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = RepoPaths.Root };
        foreach (var arg in netns is null ? [] : new[] { "netns", "exec", netns, "bash", "-c", CgroupMounts.Value + "exec bash \"$@\"", "vm" })
        {
            info.ArgumentList.Add(arg);
        }

        info.ArgumentList.Add(Path.Combine(RepoPaths.Root, "granary"));
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        info.Environment["GRANARY_HOME"] = home;
        info.Environment.Remove("GRANARY_API");
        info.Environment.Remove("GRANARY_TOKEN");
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"granary {string.Join(' ', args)} did not finish in {timeout}: {await stdout}{await stderr}");
        }

        return new CliResult(process.ExitCode, await stdout, await stderr);
    }

    /// <summary>
    /// `ip netns exec` mounts a fresh /sys for the namespace, without the cgroup file systems under it, so a node started
    /// there could not isolate its instances: mount the hierarchies Granary uses again, as a real VM has them.
    /// </summary>
    private static readonly Lazy<string> CgroupMounts = new(() =>
    {
        var script = new StringBuilder();
        var mounts = File.ReadLines("/proc/self/mountinfo").Select(l => l.Split(' ')).Where(f => f[3] == "/")
            .Select(f => (Point: f[4], Type: f[Array.IndexOf(f, "-") + 1], Options: f[Array.IndexOf(f, "-") + 3])).ToList();
        if (mounts.Any(m => m.Type == "tmpfs" && m.Point == "/sys/fs/cgroup"))
        {
            script.Append("mount -t tmpfs -o mode=755 tmpfs /sys/fs/cgroup; ");
        }

        string[] used = ["memory", "pids", "cpu", "cpuacct", "freezer"];
        foreach (var (point, type, options) in mounts.Where(m => m.Point.StartsWith("/sys/fs/cgroup", StringComparison.Ordinal)))
        {
            var controllers = options.Split(',').Where(used.Contains).ToList();
            if (type == "cgroup2")
            {
                script.Append($"mkdir -p {point}; mount -t cgroup2 cgroup2 {point}; ");
            }
            else if (type == "cgroup" && controllers.Count > 0)
            {
                script.Append($"mkdir -p {point}; mount -t cgroup -o {string.Join(',', controllers)} cgroup {point}; ");
            }
        }

        return script.ToString();
    });
}
