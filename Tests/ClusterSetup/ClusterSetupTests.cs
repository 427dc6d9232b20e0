using System.Diagnostics;
using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Granary.Cli.Micro;
using Granary.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Granary.Tests.ClusterSetup;

/// <summary>
/// The README's cluster walkthrough on one machine: a core and two DEA nodes set up with the commands a person types,
/// each in a network namespace of its own (or on loopback ports where namespaces cannot be made, which the output says).
/// </summary>
[Collection(ClusterSetupCollection.Name)]
public sealed partial class ClusterSetupTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Long = TimeSpan.FromMinutes(5);

    [Fact]
    public async Task SetupCoreAndAttachTwoDeas_OneDeaKilled_ItsInstancesMoveToTheOther()
    {
        await using var machines = await TestMachines.CreateAsync("core", "dea1", "dea2");
        output.WriteLine(machines.UseNamespaces
            ? $"network namespaces: {string.Join(", ", machines.Machines.Select(m => $"{m.Name}={m.Address}"))}"
            : $"NOTE: network namespaces unavailable ({machines.FallbackReason}); running the nodes on loopback ports instead");
        var (core, dea1, dea2) = (machines["core"], machines["dea1"], machines["dea2"]);
        // On loopback the three nodes share one port space: every port is picked free, and the address is given.
        string[] Ports(TestMachine m) => machines.UseNamespaces ? []
            : ["--advertise", m.Address, "--api-port", "0", "--edge-port", "0", "--silo-port", "0", "--gateway-port", "0", "--pg-port", "0"];

        var setup = await core.GranaryAsync(Long, ["node", "setup", "core", "--domain", "cluster.test", "--no-dea", .. Ports(core)]);
        output.WriteLine(setup.All);
        Assert.True(setup.ExitCode == 0, $"setup core failed: {setup.All}\n{Tail(core, "silo")}");
        var attach = AttachCommand().Match(setup.Out);
        Assert.True(attach.Success, "setup core printed no attach command");

        var joins = await Task.WhenAll(new[] { dea1, dea2 }.Select(m => m.GranaryAsync(Long,
            ["node", "attach", "-e", "dea", attach.Groups["core"].Value, "--token", attach.Groups["token"].Value, "--node-id", m.Name, .. Ports(m)])));
        foreach (var (join, machine) in joins.Zip(new[] { dea1, dea2 }))
            Assert.True(join.ExitCode == 0, $"attach of {machine.Name} failed: {join.All}\n{Tail(machine, "silo")}");

        // Every node with its roles, as granary status --all shows them.
        var status = await StatusAsync(core);
        Assert.Equal(3, status.Count);
        Assert.Equal(["dea"], status.Single(n => n.NodeId == "dea1").Roles);
        Assert.Contains("controller", status.Single(n => n.NodeId == Hostname(status)).Roles);
        Assert.All(status, n => Assert.Equal("ACTIVE", n.Silo));

        // The controller API is only where the controller role is: a DEA's silo answers /v1/info but not /v1/apps.
        // The join token stayed out of the DEA's node.json; the admin token is the core's alone.
        var token = NodeJson(core).GetProperty("adminToken").GetString()!;
        Assert.StartsWith("gjt_", attach.Groups["token"].Value);
        Assert.Equal("", NodeJson(dea1).GetProperty("adminToken").GetString());
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        http.DefaultRequestHeaders.Authorization = new("Bearer", token);
        var deaApi = NodeJson(dea1).GetProperty("ports").GetProperty("api").GetInt32();
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync($"http://{dea1.Address}:{deaApi}/v1/info")).StatusCode);
        // The DEA knows no admin token (it joined with a join token), so it does not take the core's either: 401, where
        // it used to be 404; both say that it serves no apps.
        var apps = (await http.GetAsync($"http://{dea1.Address}:{deaApi}/v1/apps")).StatusCode;
        Assert.True(apps is HttpStatusCode.NotFound or HttpStatusCode.Unauthorized, $"a DEA-only node answered /v1/apps with {(int)apps}");

        var push = await core.GranaryAsync(Long, "push", "samples/node-hello", "-i", "4");
        Assert.True(push.ExitCode == 0, $"push failed: {push.All}");
        var placed = (await InstancesAsync(core))!;
        Assert.Equal(4, placed.Count(i => i.State == "RUNNING"));
        Assert.Equal(["dea1", "dea2"], placed.Select(i => i.Node ?? "").Distinct().Order().ToArray());

        // The router role runs an edge on the core: the app answers through it.
        var edge = $"http://{core.Address}:{NodeJson(core).GetProperty("ports").GetProperty("edge").GetInt32()}/";
        Assert.Equal(HttpStatusCode.OK, await ThroughEdgeAsync(http, edge));

        // dea1 dies: its supervisor and its silo, kill -9 (the instances' own watchdogs take them down with it).
        ProcessProbe.Signal(dea1.Pid("supervisor")!.Value, ProcessProbe.SigKill);
        ProcessProbe.Signal(dea1.Pid("silo")!.Value, ProcessProbe.SigKill);
        output.WriteLine("killed dea1's supervisor and silo");

        // Until membership declares dea1 dead, a call reaching a grain that lived on its silo can time out (503): the
        // user would repeat it, and so does this loop.
        var moved = await WaitForAsync(async () =>
        {
            var now = await InstancesAsync(core, mustAnswer: false);
            return now?.Count(i => i.State == "RUNNING" && i.Node == "dea2") == 4 ? now : null;
        }, TimeSpan.FromSeconds(90));
        Assert.True(moved is not null, $"the instances did not all move to dea2: {string.Join(", ", (await InstancesAsync(core))!.Select(i => $"{i.Index}:{i.State}@{i.Node}"))}");
        Assert.Equal(HttpStatusCode.OK, await ThroughEdgeAsync(http, edge));
        // granary status no longer shows dea1 as a live silo (DOWN while the health manager remembers it, then gone).
        Assert.DoesNotContain(await StatusAsync(core), n => n.NodeId == "dea1" && n.Silo != "DOWN");

        // The supervisor restarts what crashes on its node: kill -9 the core's edge and a new one takes its place.
        var oldEdge = core.Pid("edge")!.Value;
        ProcessProbe.Signal(oldEdge, ProcessProbe.SigKill);
        var newEdge = await WaitForAsync(() => Task.FromResult(core.Pid("edge") is { } pid && pid != oldEdge && ProcessProbe.IsRunning(pid, "Granary.Edge.dll") ? (int?)pid : null),
            TimeSpan.FromSeconds(30));
        Assert.True(newEdge is not null, $"the supervisor did not restart the edge:\n{Tail(core, "supervisor")}");
    }

    private sealed record StatusRow(string NodeId, string[] Roles, string Silo, string? Health, int? Instances);

    private sealed record InstanceRow(int Index, string State, string? Node);

    /// <summary>The core's node id: its host name, as nobody passed --node-id to setup core.</summary>
    private static string Hostname(List<StatusRow> status) => status.Single(n => n.Roles.Contains("primary")).NodeId;

    private static async Task<List<StatusRow>> StatusAsync(TestMachine machine)
    {
        var result = await machine.GranaryAsync(Long, "status", "--all", "--json");
        Assert.True(result.ExitCode == 0, $"status failed: {result.All}");
        using var json = JsonDocument.Parse(result.Out);
        return json.RootElement.GetProperty("nodes").EnumerateArray().Select(n => new StatusRow(
            n.GetProperty("nodeId").GetString()!,
            n.GetProperty("roles").EnumerateArray().Select(r => r.GetString()!).ToArray(),
            n.GetProperty("silo").GetString()!,
            n.TryGetProperty("health", out var h) ? h.GetString() : null,
            n.TryGetProperty("instances", out var i) ? i.GetInt32() : null)).ToList();
    }

    private static async Task<List<InstanceRow>?> InstancesAsync(TestMachine core, bool mustAnswer = true)
    {
        var result = await core.GranaryAsync(Long, "app", "node-hello", "--json");
        if (!mustAnswer && result.ExitCode != 0)
            return null;
        Assert.True(result.ExitCode == 0, $"app failed: {result.All}");
        using var json = JsonDocument.Parse(result.Out);
        return json.RootElement.GetProperty("instanceDetails").EnumerateArray().Select(i => new InstanceRow(
            i.GetProperty("index").GetInt32(), i.GetProperty("state").GetString()!,
            i.TryGetProperty("node", out var n) ? n.GetString() : null)).ToList();
    }

    private static async Task<HttpStatusCode> ThroughEdgeAsync(HttpClient http, string edge)
    {
        var status = await WaitForAsync(async () =>
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, edge);
            request.Headers.Host = "node-hello.cluster.test";
            using var response = await http.SendAsync(request);
            return response.StatusCode == HttpStatusCode.OK ? (HttpStatusCode?)HttpStatusCode.OK : null;
        }, TimeSpan.FromSeconds(20));
        return status ?? HttpStatusCode.ServiceUnavailable;
    }

    private static async Task<T?> WaitForAsync<T>(Func<Task<T?>> probe, TimeSpan limit)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                if (await probe() is { } found)
                    return found;
            }
            catch (HttpRequestException)
            {
            }
            if (clock.Elapsed > limit)
                return default;
            await Task.Delay(500);
        }
    }

    private static JsonElement NodeJson(TestMachine machine) =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(machine.NodeDir, "node.json"))).RootElement.Clone();

    private static string Tail(TestMachine machine, string process)
    {
        var log = Path.Combine(machine.NodeDir, process + ".log");
        return File.Exists(log) ? string.Join('\n', File.ReadLines(log).TakeLast(40)) : $"(no {process} log)";
    }

    [GeneratedRegex(@"granary node attach -e dea (?<core>\S+) --token (?<token>\S+)")]
    private static partial Regex AttachCommand();
}

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ClusterSetupCollection
{
    public const string Name = "cluster-setup";
}
