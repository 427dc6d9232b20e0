using System.Diagnostics;
using System.Text.Json.Nodes;
using Granary.Tests.Infrastructure;
using Granary.Tests.Support.Postgres;
using Xunit.Abstractions;

namespace Granary.Tests.EndToEnd;

/// <summary>
/// Two real silo processes on this machine, one cluster on PostgreSQL: kill -9 (or SIGSTOP: a hung VM that
/// refuses no connection) of the silo that runs some of an app's instances gets them RUNNING on the other
/// node, and the healthy node's own instances are left alone.
/// </summary>
public sealed class RealSiloNodeLossTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData("KILL")]
    [InlineData("STOP")]
    public async Task Losing_a_silo_gets_its_instances_running_on_the_other_node(string signal)
    {
        var postgres = await TestPostgres.Shared;
        var database = await postgres.CreateDatabaseAsync("nodeloss");
        var cli = new CliRunner(Directory.CreateTempSubdirectory("granary-nodeloss-").FullName);
        var started = DateTime.UtcNow.AddSeconds(-1);
        Process? second = null;
        try
        {
            var up = await cli.RunAsync(TimeSpan.FromMinutes(10), "micro", "up", "--api-port", "0", "--edge-port", "0", "--db", database);
            Assert.True(up.ExitCode == 0, up.All);
            second = StartSecondSilo(cli.Home, database);
            await UntilAsync(cli, "node list", async () => (await cli.RunAsync("node", "list")).Out is var list
                && list.Contains("node-b") && list.Split('\n').Any(l => l.StartsWith("node-b") && l.Contains("ALIVE")));

            var push = await cli.RunAsync("push", RepoPaths.Sample("node-hello"), "--name", "spread", "-i", "4");
            Assert.True(push.ExitCode == 0, push.All);
            var before = Instances(await AppAsync(cli));
            Assert.Equal(2, before.Count(i => (string?)i["node"] == "node-b")); // placement spreads an app's instances

            var killedAt = Stopwatch.StartNew();
            if (signal == "KILL")
            {
                second.Kill(); // SIGKILL: no drain, no goodbye; its instances die with it (their watchdogs see the pipe close)
                Assert.True(second.WaitForExit(10_000), "the second silo did not die");
            }
            else
            {
                // SIGSTOP: the silo hangs with its sockets open; its instances keep running, unreachable to the
                // cluster, until the finally block kills them with it.
                using var stop = Process.Start("kill", ["-STOP", second.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
                await stop.WaitForExitAsync();
                Assert.Equal(0, stop.ExitCode);
            }

            await UntilAsync(cli, "4 RUNNING on micro", async () => Instances(await AppAsync(cli)) is var all
                && all.Count == 4 && all.All(i => (string?)i["state"] == "RUNNING" && (string?)i["node"] == "micro"), seconds: 90);
            output.WriteLine($"node SIG{signal} -> its instances RUNNING elsewhere: {killedAt.ElapsedMilliseconds} ms");

            var events = await cli.RunAsync("events", "spread");
            Assert.Contains("instance.lost", events.Out);
            Assert.Contains("node-b", events.Out);
            // The healthy node's instances were never taken for lost: its heartbeats kept arriving (stream queues
            // are pulled on controllers, never on the lost DEA node).
            Assert.DoesNotContain("lost: node micro", events.Out);
            // A health manager that moved with the dead silo may never have heard of node-b: then it is not listed.
            var row = (await cli.RunAsync("node", "list")).Out.Split('\n').SingleOrDefault(l => l.StartsWith("node-b"));
            Assert.True(row is null || row.Contains("DEAD") || row.Contains("MISSING"), row);
        }
        finally
        {
            if (second is { HasExited: false })
            {
                second.Kill(entireProcessTree: true);
            }

            await cli.RunAsync("micro", "down");
            try { Directory.Delete(cli.Home, recursive: true); } catch (IOException) { }
            RemoveCgroupsOf("node-b", started);
        }
    }

    /// <summary>
    /// The killed node never starts again to reap its instances' cgroups (emptied by their watchdogs): remove the
    /// empty ones this run made for it, leaf first, and nothing else (rmdir refuses a cgroup that still has tasks).
    /// </summary>
    private static void RemoveCgroupsOf(string node, DateTime since)
    {
        var roots = Directory.Exists("/sys/fs/cgroup") ? Directory.GetDirectories("/sys/fs/cgroup").Append("/sys/fs/cgroup") : [];
        foreach (var parent in roots.Select(r => Path.Combine(r, "granary")).Where(Directory.Exists))
        {
            foreach (var dir in Directory.GetDirectories(parent, node + "-*").Where(d => Directory.GetLastWriteTimeUtc(d) >= since))
            {
                foreach (var cgroup in Directory.GetDirectories(dir).Append(dir))
                {
                    try
                    {
                        Directory.Delete(cgroup);
                    }
                    catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                    {
                    }
                }
            }
        }
    }

    /// <summary>A DEA-only silo on node "node-b", joining the micro cloud's cluster through the same database.</summary>
    private static Process StartSecondSilo(string home, string database)
    {
        var ports = Granary.Cli.Micro.FreePorts.Pick(3);
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = false,
            RedirectStandardError = false,
            UseShellExecute = false,
        };
        foreach (var arg in new[]
        {
            Path.Combine(RepoPaths.Root, ".artifacts", "silo", "Granary.Silo.dll"),
            "--urls", $"http://127.0.0.1:{ports[0]}",
            $"--Granary:Home={Path.Combine(home, "node-b")}", "--Granary:NodeId=node-b", "--Granary:Roles=dea",
            "--Orleans:ClusterId=granary-micro", $"--Orleans:SiloPort={ports[1]}", $"--Orleans:GatewayPort={ports[2]}",
        })
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["GRANARY_DATABASE"] = database;
        start.Environment.Remove("GRANARY_ADMIN_TOKEN");
        return Process.Start(start) ?? throw new InvalidOperationException("could not start the second silo");
    }

    private static string Warnings(string log) => File.Exists(log)
        ? string.Join('\n', File.ReadLines(log).Where(l => l.Contains(" warn: ") || l.Contains(" fail: ")).TakeLast(40))
        : "(no silo log)";

    /// <summary>The app as <c>granary app --json</c> shows it; null while the API cannot answer (a silo just died).</summary>
    private async Task<JsonNode?> AppAsync(CliRunner cli)
    {
        var shown = await cli.RunAsync("app", "spread", "--json");
        if (shown.ExitCode != 0)
        {
            output.WriteLine($"granary app: {shown.Err.Trim()}");
            return null;
        }

        return JsonNode.Parse(shown.Out);
    }

    private static List<JsonNode> Instances(JsonNode? app) => app?["instanceDetails"]?.AsArray().Select(i => i!).ToList() ?? [];

    private static async Task UntilAsync(CliRunner cli, string what, Func<Task<bool>> condition, int seconds = 60)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"{what}: not reached in {seconds} s\n{(await cli.RunAsync("app", "spread")).All}\n" +
                $"{(await cli.RunAsync("events", "spread")).All}\n{(await cli.RunAsync("node", "list")).All}\n{Warnings(Path.Combine(cli.Home, "micro", "silo.log"))}");
            await Task.Delay(250);
        }
    }
}
