using System.Collections.Concurrent;
using System.Collections.Immutable;
using Granary.Apps;
using Granary.Health;
using Granary.Instances;
using Granary.Logs;
using Granary.Nodes;
using Granary.Silo.Dea;
using Granary.Silo.Dea.Isolation;
using Granary.Silo.Hosting;
using Granary.Silo.Staging;
using Granary.Staging;
using Granary.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Granary.Tests.Dea.Isolation;

/// <summary>
/// A real DEA runtime on this machine with a node of its own, its cgroups under <see cref="CgroupRoot"/>; disposing
/// it stops its instances and removes its cgroups and folders, also after a failed test.
/// </summary>
internal sealed class IsolatedRuntime : IAsyncDisposable
{
    /// <summary>Tests' cgroups live apart from any node's ("granary").</summary>
    public const string CgroupRoot = "granary-tests";

    private readonly string _root = Directory.CreateTempSubdirectory("granary-iso-").FullName;
    private readonly ConcurrentQueue<InstanceReport> _reports = new();
    private readonly ConcurrentQueue<(Guid AppId, string Text)> _lines = new();

    /// <param name="unisolated">Run it as a node that cannot isolate (with <paramref name="allowUnisolated"/> deciding what it does).</param>
    public IsolatedRuntime(TimeSpan? stopGrace = null, bool unisolated = false, bool allowUnisolated = false)
    {
        var options = new DeaOptions
        {
            InstancesDirectory = Path.Combine(_root, "instances"),
            MemoryMb = 8192,
            StopGrace = stopGrace ?? TimeSpan.FromSeconds(10),
            UnrouteDelay = TimeSpan.Zero,
            Isolation = { CgroupRoot = CgroupRoot },
            AllowUnisolated = allowUnisolated,
        };
        var node = new NodeSettings { NodeId = $"t{Guid.NewGuid().ToString("N")[..8]}", Home = _root };
        Isolation = unisolated ? InstanceIsolation.None(options, node, "a test says so") : InstanceIsolation.Detect(options, node);
        Runtime = new ProcessInstanceRuntime(Options.Create(options), new FolderDroplets(Path.Combine(_root, "droplets")),
            new Sink(_reports), node, new Lines(_lines), new HealthProbe(null!, TimeProvider.System), new FreePorts(TimeProvider.System),
            Isolation, TimeProvider.System, NullLogger<ProcessInstanceRuntime>.Instance);
    }

    public InstanceIsolation Isolation { get; }

    public ProcessInstanceRuntime Runtime { get; }

    /// <summary>Starts an instance of a droplet holding <paramref name="files"/>, RUNNING as soon as its process is up.</summary>
    public async Task<InstanceSpec> StartAsync(string command, int memoryMb = 128, IReadOnlyDictionary<string, string>? env = null,
        params (string Path, string Content)[] files)
    {
        var hash = Guid.NewGuid().ToString("N");
        Directory.CreateDirectory(Path.Combine(_root, "droplets"));
        await File.WriteAllBytesAsync(Path.Combine(_root, "droplets", hash + ".tgz"),
            Archives.TarGz(files.Select(f => (System.Formats.Tar.TarEntry)Archives.File(f.Path, f.Content)).ToArray()));
        var spec = new InstanceSpec(Guid.NewGuid(), Guid.NewGuid(), "probe", 0, hash, command, memoryMb,
            (env ?? new Dictionary<string, string>()).ToImmutableDictionary(), new HealthCheckSpec(HealthCheckType.Process, null, 30), []);
        await Runtime.StartAsync(spec);
        return spec;
    }

    public async Task<InstanceReport> WaitForStateAsync(InstanceSpec spec, InstanceState state, int seconds = 30)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (true)
        {
            if (_reports.FirstOrDefault(r => r.InstanceId == spec.InstanceId && r.State == state) is { } report)
            {
                return report;
            }

            Assert.True(DateTime.UtcNow < deadline, $"never {state}; reports: {string.Join(", ", _reports.Where(r => r.InstanceId == spec.InstanceId).Select(r => $"{r.State} {r.Message}"))}; output:\n{Output(spec)}");
            await Task.Delay(50);
        }
    }

    /// <summary>Waits for a line of the app's output that starts with <paramref name="prefix"/>, and returns it.</summary>
    public async Task<string> WaitForLineAsync(InstanceSpec spec, string prefix, int seconds = 30)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (true)
        {
            if (_lines.FirstOrDefault(l => l.AppId == spec.AppId && l.Text.StartsWith(prefix, StringComparison.Ordinal)) is { Text: { } line })
            {
                return line;
            }

            Assert.True(DateTime.UtcNow < deadline, $"'{prefix}' never printed; output:\n{Output(spec)}");
            await Task.Delay(50);
        }
    }

    public int CountLines(InstanceSpec spec, string text) => _lines.Count(l => l.AppId == spec.AppId && l.Text == text);

    public string Output(InstanceSpec spec) => string.Join('\n', _lines.Where(l => l.AppId == spec.AppId).Select(l => l.Text));

    /// <summary>Stops the instance and waits until the runtime says it is STOPPED.</summary>
    public async Task<InstanceReport> StopAsync(InstanceSpec spec)
    {
        await Runtime.StopAsync(spec.InstanceId, "test");
        return await WaitForStateAsync(spec, InstanceState.Stopped, 60);
    }

    public async ValueTask DisposeAsync()
    {
        await Runtime.StopAllAsync();
        if (Isolation.Cgroups is { } cgroups)
        {
            foreach (var name in cgroups.Children(Isolation.CgroupParent))
            {
                await cgroups.KillAsync($"{Isolation.CgroupParent}/{name}");
                cgroups.Remove($"{Isolation.CgroupParent}/{name}");
            }

            cgroups.Remove(Isolation.CgroupParent);
        }

        Directory.Delete(_root, recursive: true);
    }

    private sealed class Sink(ConcurrentQueue<InstanceReport> reports) : IInstanceReportSink
    {
        public Task ReportAsync(InstanceReport report)
        {
            reports.Enqueue(report);
            return Task.CompletedTask;
        }

        public Task ExitedAsync(InstanceExit exit) => Task.CompletedTask;
    }

    private sealed class Lines(ConcurrentQueue<(Guid, string)> lines) : ILogEmitter
    {
        public void Emit(Guid appId, string source, LogStream stream, string text) => lines.Enqueue((appId, text));
    }

    private sealed class FolderDroplets(string folder) : IDropletStore
    {
        public Task<DropletRef> PutAsync(string archivePath, string framework, string startCommand, CancellationToken cancellationToken) =>
            throw new NotSupportedException();

        public Task<string> GetLocalPathAsync(string hash, CancellationToken cancellationToken) =>
            Task.FromResult(Path.Combine(folder, hash + ".tgz"));
    }
}
