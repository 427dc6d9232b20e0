using System.Net;
using System.Text.Json.Nodes;
using Granary.Tests.Infrastructure;

namespace Granary.Tests.EndToEnd;

/// <summary>The health manager with real processes: kill -9 brings an instance back, a crash loop backs off.</summary>
[Collection(MicroCloudCollection.Name)]
public sealed class HealthThroughCliTests(MicroCloudFixture cloud)
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(10) };

    [Fact]
    public async Task Kill9_of_an_instance_brings_it_back_running_and_routed()
    {
        var name = await PushAsync("revive", "node-hello", "-i", "2");
        var app = await AppAsync(name);
        var victim = Instances(app).Single(i => (int)i["index"]! == 1);
        var victimId = (string)victim["instanceId"]!;
        var pids = ProcessTable.WithEnv("GRANARY_INSTANCE_ID", victimId);
        Assert.NotEmpty(pids);

        foreach (var pid in pids)
        {
            Kill9(pid);
        }

        var back = await UntilAsync(name, a => Instances(a) is var all && all.Count == 2
            && all.All(i => (string?)i["state"] == "RUNNING") && all.All(i => (string?)i["instanceId"] != victimId));
        var replacement = Instances(back).Single(i => (int)i["index"]! == 1);
        Assert.NotEmpty(ProcessTable.WithEnv("GRANARY_INSTANCE_ID", (string)replacement["instanceId"]!));

        // Routed: the edge sends requests aimed at index 1 to the new process.
        var response = await ThroughEdgeAsync(name, $"{(string)app["id"]!}:1");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("instance 1", await response.Content.ReadAsStringAsync());

        var events = await cloud.Cli.RunAsync("events", name);
        Assert.Contains("instance.crashed", events.Out);
        Assert.Contains("instance.restarted", events.Out);
        var crashes = await cloud.Cli.RunAsync("crashes", name);
        Assert.Contains("instance 1", crashes.Out);
        Assert.Contains("exit code 137", crashes.Out);
    }

    [Fact]
    public async Task A_crash_looping_app_backs_off_shows_flapping_and_lists_its_crashes()
    {
        var name = await PushAsync("loop", "crashy");

        // Three crashes restart at once; from the fourth on it waits (2 s, 4 s, 8 s …) and shows FLAPPING
        // meanwhile. The waits grow, so polling the user's view catches one.
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (!(await cloud.Cli.RunAsync("app", name)).Out.Contains("FLAPPING (crash "))
        {
            Assert.True(DateTime.UtcNow < deadline, "never FLAPPING: " + (await cloud.Cli.RunAsync("app", name)).Out);
            await Task.Delay(200);
        }

        var crashes = await cloud.Cli.RunAsync("crashes", name);
        Assert.Equal(0, crashes.ExitCode);
        Assert.Contains("exit code 3", crashes.Out);
        Assert.Contains("crashing on purpose", crashes.Out); // the last lines the instance printed

        var events = await cloud.Cli.RunAsync("events", name);
        Assert.Contains("restarting in 2 s", events.Out);
        Assert.Equal(3, events.Out.Split('\n').Count(l => l.Contains("instance.restarted") && !l.Contains("backoff")));

        var json = JsonNode.Parse((await cloud.Cli.RunAsync("crashes", name, "--json")).Out)!.AsArray();
        Assert.True(json.Count >= 4, json.ToJsonString());
        Assert.All(json, c => Assert.Equal(3, (int?)c!["exitCode"]));
    }

    [Fact]
    public async Task An_app_over_its_memory_limit_is_killed_reported_out_of_memory_and_restarted()
    {
        var folder = Directory.CreateTempSubdirectory("granary-hog-").FullName;
        await File.WriteAllTextAsync(Path.Combine(folder, "app.py"),
            "print('allocating 1 GB', flush=True)\nhog = b'x' * (1 << 30)\nprint('survived', flush=True)\n");
        var name = $"hog-{Guid.NewGuid().ToString("N")[..6]}";
        try
        {
            await cloud.Cli.RunAsync("push", folder, "--name", name, "-m", "64M"); // it never runs: the exit code says so

            var deadline = DateTime.UtcNow.AddSeconds(90);
            CliResult app;
            while (!(app = await cloud.Cli.RunAsync("app", name)).Out.Contains("out of memory (limit 64M)"))
            {
                Assert.True(DateTime.UtcNow < deadline, "never shown as out of memory: " + app.Out + cloud.SiloLog());
                await Task.Delay(200);
            }

            var crashes = await cloud.Cli.RunAsync("crashes", name);
            Assert.Contains("out of memory (limit 64M)", crashes.Out);
            Assert.Contains("allocating 1 GB", crashes.Out);
            Assert.DoesNotContain("survived", crashes.Out);
            var events = await cloud.Cli.RunAsync("events", name);
            Assert.Contains("out of memory (limit 64M)", events.Out);
            Assert.Contains("instance.restarted", events.Out); // the crash policy restarts it like any crash
        }
        finally
        {
            await cloud.Cli.RunAsync("delete", name, "-f");
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task Node_list_shows_the_micro_node_alive()
    {
        var list = await cloud.Cli.RunAsync("node", "list");
        Assert.Equal(0, list.ExitCode);
        Assert.Contains("micro", list.Out);
        Assert.Contains("ALIVE", list.Out);

        var unknown = await cloud.Cli.RunAsync("node", "evacuate", "no-such-node");
        Assert.NotEqual(0, unknown.ExitCode);
        Assert.Contains("no node 'no-such-node'", unknown.Err);
    }

    private async Task<string> PushAsync(string prefix, string sample, params string[] options)
    {
        var name = $"{prefix}-{Guid.NewGuid().ToString("N")[..6]}";
        var push = await cloud.Cli.RunAsync(["push", RepoPaths.Sample(sample), "--name", name, .. options]);
        Assert.True(push.ExitCode == 0, push.All + cloud.SiloLog());
        return name;
    }

    private async Task<JsonNode> AppAsync(string name) => JsonNode.Parse((await cloud.Cli.RunAsync("app", name, "--json")).Out)!;

    private static List<JsonNode> Instances(JsonNode app) => app["instanceDetails"]!.AsArray().Select(i => i!).ToList();

    private async Task<JsonNode> UntilAsync(string name, Func<JsonNode, bool> condition, int seconds = 60)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (true)
        {
            var app = await AppAsync(name);
            if (condition(app))
            {
                return app;
            }

            Assert.True(DateTime.UtcNow < deadline, $"condition not met in {seconds} s: {app.ToJsonString()}\n{cloud.SiloLog()}");
            await Task.Delay(200);
        }
    }

    private async Task<HttpResponseMessage> ThroughEdgeAsync(string app, string instance)
    {
        var info = JsonNode.Parse((await cloud.Cli.RunAsync("info", "--json")).Out)!;
        var request = new HttpRequestMessage(HttpMethod.Get, $"http://127.0.0.1:{new Uri((string)info["edge"]!).Port}/");
        request.Headers.Host = $"{app}.localhost";
        request.Headers.Add("X-Granary-Instance", instance);
        return await Http.SendAsync(request);
    }

    private static void Kill9(int pid)
    {
        try
        {
            System.Diagnostics.Process.GetProcessById(pid).Kill();
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException)
        {
            // already gone
        }
    }
}
