using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using Granary.Silo.Processes;
using Granary.Telemetry;

namespace Granary.Silo.Dea.Isolation;

/// <summary>
/// Gives each instance its uid, cgroup and sandbox, and takes them away again. Found out once, when the node starts,
/// whether this machine can isolate at all (<see cref="Level"/>); where it cannot, <see cref="Refusal"/> says why the
/// node runs no instances, unless it was started with Granary:Dea:AllowUnisolated.
/// </summary>
public sealed partial class InstanceIsolation
{
    private readonly DeaOptions _options;
    private readonly ICgroupDriver? _cgroups;
    private readonly HostView? _host;
    private readonly UidSlots _uids;

    private InstanceIsolation(DeaOptions options, string cgroupParent, ICgroupDriver? cgroups, HostView? host, NodeIsolation level)
    {
        _options = options;
        _cgroups = cgroups;
        _host = host;
        _uids = new UidSlots(options.Isolation.FirstUid, options.Isolation.UidCount);
        CgroupParent = cgroupParent;
        Level = level;
    }

    public NodeIsolation Level { get; private set; }

    /// <summary>Why this node refuses to start instances; null when it isolates them, or may run them unisolated.</summary>
    public string? Refusal => Level.IsIsolated || _options.AllowUnisolated
        ? null
        : $"it cannot isolate instances ({string.Join("; ", Level.Problems)}); start its silo with "
          + "Granary:Dea:AllowUnisolated=true (granary micro up --allow-unisolated) to run them unisolated, for development only";

    /// <summary>This node's own cgroup parent, relative to each hierarchy's root: ROOT/NODE-HASH.</summary>
    public string CgroupParent { get; }

    /// <summary>Notes on what instances see of the host (runtimes they get instead of the silo's).</summary>
    public IReadOnlyList<string> Notes => _host?.Notes ?? [];

    public ICgroupDriver? Cgroups => _cgroups;

    /// <summary>Makes the instance's cgroup, gives its directories to its uid and builds its sandbox's command line.</summary>
    public Sandbox Prepare(Guid instanceId, string appName, int index, int memoryMb, string instanceDirectory, string appDirectory,
        string tmpDirectory)
    {
        var started = Stopwatch.GetTimestamp();
        var cgroups = _cgroups ?? throw new InvalidOperationException("this node does not isolate instances");
        var uid = _uids.Take();
        var cgroup = $"{CgroupParent}/{instanceId:N}";
        try
        {
            var join = cgroups.Create(cgroup, new CgroupLimits(memoryMb, _options.Isolation.PidsLimit));
            FileOwnership.ChownTree(appDirectory, uid, uid);
            FileOwnership.ChownTree(tmpDirectory, uid, uid);
            var (passwd, group) = WriteAccounts(instanceDirectory, uid);
            var spec = new SandboxSpec(appDirectory, tmpDirectory, passwd, group, uid, uid, SandboxArguments.HostnameFor(appName, index),
                _host!.System, _host.Etc, _host.ReadOnly, cgroups.SandboxMounts(cgroup));
            var sandbox = new Sandbox(cgroups, cgroup, uid, memoryMb, _host.Path);
            sandbox.Containment = new ChildContainment(join, SandboxArguments.Build(spec, _options.Isolation.Bwrap, _options.Isolation.Setpriv),
                cgroups.TakeDown(cgroup), sandbox);
            GranaryTelemetry.IsolationSetupDuration.Record(Stopwatch.GetElapsedTime(started).TotalSeconds);
            return sandbox;
        }
        catch
        {
            cgroups.Remove(cgroup);
            _uids.Return(uid);
            throw;
        }
    }

    /// <summary>Kills whatever is left in the instance's cgroup, removes it, and frees its uid once nothing runs as it.</summary>
    public async Task ReleaseAsync(Sandbox sandbox)
    {
        var cgroups = _cgroups!;
        await cgroups.KillAsync(sandbox.Cgroup);
        for (var attempt = 0; attempt < 20 && !cgroups.Remove(sandbox.Cgroup); attempt++)
        {
            await Task.Delay(50);
        }

        if (cgroups.Processes(sandbox.Cgroup).Count == 0)
        {
            _uids.Return(sandbox.Uid); // never hand a uid to a new instance while a process of the old one lives
        }
    }

    /// <summary>
    /// Kills and removes the cgroups a previous run of this node left (its processes outlived it), except those
    /// <paramref name="isOurs"/> says belong to this run; returns their names.
    /// </summary>
    public async Task<IReadOnlyList<string>> ReapAsync(Func<string, bool> isOurs)
    {
        if (_cgroups is not { } cgroups)
        {
            return [];
        }

        var left = cgroups.Children(CgroupParent).Where(name => !isOurs(name)).ToList();
        foreach (var name in left)
        {
            await cgroups.KillAsync($"{CgroupParent}/{name}");
            cgroups.Remove($"{CgroupParent}/{name}");
        }

        return left;
    }

    /// <summary>Removes this node's own cgroup parent once its instances are gone (the node stops).</summary>
    public void RemoveParent() => _cgroups?.Remove(CgroupParent);

    /// <summary>The node id in the characters a cgroup name may hold, and a hash of the instances directory.</summary>
    public static string NodeSlug(string nodeId, string instancesDirectory)
    {
        var id = new string(nodeId.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '_').ToArray());
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Path.GetFullPath(instancesDirectory))))[..8];
        return $"{(id.Length > 40 ? id[..40] : id)}-{hash}";
    }

    private static (string Passwd, string Group) WriteAccounts(string instanceDirectory, int uid)
    {
        // An entry of its own, so whoami, getpwuid and tools that want a user name work; nothing of the host's accounts.
        var passwd = Path.Combine(instanceDirectory, "passwd");
        var group = Path.Combine(instanceDirectory, "group");
        File.WriteAllText(passwd, $"root:x:0:0:root:/root:/usr/sbin/nologin\ngranary:x:{uid}:{uid}:Granary instance:{SandboxArguments.Home}:/bin/sh\n"
            + "nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n");
        File.WriteAllText(group, $"root:x:0:\ngranary:x:{uid}:\nnogroup:x:65534:\n");
        return (passwd, group);
    }
}
