using System.Diagnostics;
using System.Security.Cryptography;
using Granary.Tests.Infrastructure;

namespace Granary.Tests.ClusterSetup;

/// <summary>One stand-in VM: a network namespace with its own IP, or (fallback) a home of its own on loopback.</summary>
public sealed record TestMachine(string Name, string? Namespace, string Address, string Home)
{
    public string NodeDir => Path.Combine(Home, "node");

    /// <summary>Runs ./granary on this machine as its operator would: inside its namespace, with its own GRANARY_HOME.</summary>
    public Task<CliResult> GranaryAsync(TimeSpan timeout, params string[] args) => new CliRunner(Home, Namespace).RunAsync(timeout, args);

    public int? Pid(string process) =>
        int.TryParse(File.Exists(Path.Combine(NodeDir, process + ".pid")) ? File.ReadAllText(Path.Combine(NodeDir, process + ".pid")).Trim() : "", out var pid)
            ? pid : null;
}

/// <summary>
/// Machines for a cluster test: network namespaces on a bridge of their own (each with its own IP, reachable from
/// the test), or, where namespaces cannot be made (no CAP_NET_ADMIN, no iproute2), homes of their own on loopback.
/// </summary>
public sealed class TestMachines : IAsyncDisposable
{
    private readonly string _tag = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(2));
    private readonly List<string> _namespaces = [];
    private string? _bridge;

    private TestMachines(string root) => Root = root;

    public string Root { get; }

    public bool UseNamespaces { get; private set; }

    /// <summary>Why namespaces were not used; null when they were.</summary>
    public string? FallbackReason { get; private set; }

    public List<TestMachine> Machines { get; } = [];

    public TestMachine this[string name] => Machines.Single(m => m.Name == name);

    public static async Task<TestMachines> CreateAsync(params string[] names)
    {
        var machines = new TestMachines(Directory.CreateTempSubdirectory("granary-cluster-").FullName);
        try
        {
            // Lets the loopback fallback be exercised on a machine that could make namespaces.
            if (Environment.GetEnvironmentVariable("GRANARY_TEST_NO_NETNS") == "1")
                throw new InvalidOperationException("GRANARY_TEST_NO_NETNS=1 is set");
            await machines.CreateNamespacesAsync(names);
            machines.UseNamespaces = true;
        }
        catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            await machines.DeleteNamespacesAsync();
            machines.Machines.Clear();
            machines.FallbackReason = e.Message;
            foreach (var name in names)
                machines.Machines.Add(new TestMachine(name, null, "127.0.0.1", Path.Combine(machines.Root, name)));
        }
        return machines;
    }

    private async Task CreateNamespacesAsync(string[] names)
    {
        // A /24 of its own per run: the third octet from the random tag, so parallel runs do not meet.
        var subnet = $"10.213.{100 + Convert.ToInt32(_tag, 16) % 150}";
        _bridge = $"gtbr{_tag}";
        await IpAsync("link", "add", _bridge, "type", "bridge");
        await IpAsync("addr", "add", $"{subnet}.1/24", "dev", _bridge);
        await IpAsync("link", "set", _bridge, "up");
        for (var i = 0; i < names.Length; i++)
        {
            var ns = $"gt-{_tag}-{names[i]}";
            var veth = $"gt{_tag}v{i}";
            var address = $"{subnet}.{10 + i}";
            await IpAsync("netns", "add", ns);
            _namespaces.Add(ns);
            await IpAsync("link", "add", veth, "type", "veth", "peer", "name", "eth0", "netns", ns);
            await IpAsync("link", "set", veth, "master", _bridge, "up");
            await IpAsync("-n", ns, "addr", "add", $"{address}/24", "dev", "eth0");
            await IpAsync("-n", ns, "link", "set", "eth0", "up");
            await IpAsync("-n", ns, "link", "set", "lo", "up");
            Machines.Add(new TestMachine(names[i], ns, address, Path.Combine(Root, names[i])));
        }
    }

    private static async Task IpAsync(params string[] args)
    {
        var info = new ProcessStartInfo("ip") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args)
            info.ArgumentList.Add(arg);
        using var process = Process.Start(info) ?? throw new InvalidOperationException("cannot run ip (iproute2)");
        var error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"ip {string.Join(' ', args)} failed: {error.Trim()}");
    }

    private async Task DeleteNamespacesAsync()
    {
        foreach (var ns in _namespaces)
        {
            try { await IpAsync("netns", "del", ns); } catch (InvalidOperationException) { }
        }
        _namespaces.Clear();
        if (_bridge is not null)
        {
            try { await IpAsync("link", "del", _bridge); } catch (InvalidOperationException) { }
            _bridge = null;
        }
    }

    /// <summary>Stops every node (its own tool first, then whatever pid files still name), removes namespaces and homes.</summary>
    public async ValueTask DisposeAsync()
    {
        foreach (var machine in Machines.AsEnumerable().Reverse())
        {
            if (File.Exists(Path.Combine(machine.NodeDir, "node.json")))
            {
                try { await machine.GranaryAsync(TimeSpan.FromMinutes(2), "node", "stop"); } catch (TimeoutException) { }
            }
            foreach (var (process, marker) in new[] { ("supervisor", "granary.dll"), ("edge", "Granary.Edge.dll"), ("silo", "Granary.Silo.dll") })
            {
                if (Granary.Cli.Micro.ProcessProbe.RunningFromFile(Path.Combine(machine.NodeDir, process + ".pid"), marker) is { } pid)
                    Granary.Cli.Micro.ProcessProbe.Signal(pid, Granary.Cli.Micro.ProcessProbe.SigKill);
            }
        }
        await DeleteNamespacesAsync();
        try { Directory.Delete(Root, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
