using Granary.Silo.Dea.Isolation;

namespace Granary.Tests.Dea.Isolation;

public sealed class SandboxArgumentsTests
{
    private static SandboxSpec Spec(IReadOnlyList<string>? readOnly = null, IReadOnlyList<(string, string)>? cgroup = null) => new(
        "/root/.granary/instances/abc/app", "/root/.granary/instances/abc/tmp", "/root/.granary/instances/abc/passwd",
        "/root/.granary/instances/abc/group", 200_003, 200_003, "hello-0",
        [new HostEntry("/usr", null), new HostEntry("/bin", "usr/bin"), new HostEntry("/lib64", "usr/lib64")],
        ["/etc/resolv.conf", "/etc/ssl"], readOnly ?? [], cgroup ?? []);

    private static IReadOnlyList<string> Build(SandboxSpec spec) => SandboxArguments.Build(spec);

    /// <summary>The arguments as "option a b" triples, to find a mount whatever its position.</summary>
    private static bool HasTriple(IReadOnlyList<string> args, string option, string a, string b) =>
        Enumerable.Range(0, args.Count - 2).Any(i => args[i] == option && args[i + 1] == a && args[i + 2] == b);

    [Fact]
    public void Build_Always_NewPidIpcUtsNamespacesAndNoUserNamespace()
    {
        var args = Build(Spec());

        Assert.Equal("bwrap", args[0]);
        Assert.Contains("--unshare-pid", args);
        Assert.Contains("--unshare-ipc", args);
        Assert.Contains("--unshare-uts", args);
        Assert.Contains("--new-session", args);
        // bwrap runs as root: a user namespace would map the instance's uid to root outside.
        Assert.DoesNotContain("--unshare-user", args);
        Assert.DoesNotContain("--die-with-parent", args);
    }

    [Fact]
    public void Build_Always_EndsDroppingToTheInstancesUidWithNoPrivilegesThenShell()
    {
        var args = Build(Spec());
        var setpriv = args.ToList().IndexOf("setpriv");

        Assert.Equal("--", args[setpriv - 1]);
        Assert.Equal(["setpriv", "--reuid", "200003", "--regid", "200003", "--clear-groups", "--no-new-privs", "--inh-caps=-all",
            "--bounding-set=-all", "--", "/bin/sh", "-c"], args.Skip(setpriv));
    }

    [Fact]
    public void Build_InstanceDirectories_WritableAsHomeAndTmp()
    {
        var args = Build(Spec());

        Assert.True(HasTriple(args, "--bind", "/root/.granary/instances/abc/app", "/home/granary/app"));
        Assert.True(HasTriple(args, "--bind", "/root/.granary/instances/abc/tmp", "/tmp"));
        Assert.True(HasTriple(args, "--chdir", "/home/granary/app", "--"));
    }

    [Fact]
    public void Build_SystemEntries_ReadOnlyOrSameSymlinks()
    {
        var args = Build(Spec());

        Assert.True(HasTriple(args, "--ro-bind", "/usr", "/usr"));
        Assert.True(HasTriple(args, "--symlink", "usr/bin", "/bin"));
        Assert.True(HasTriple(args, "--symlink", "usr/lib64", "/lib64"));
        Assert.True(HasTriple(args, "--ro-bind-try", "/etc/ssl", "/etc/ssl"));
        Assert.True(HasTriple(args, "--ro-bind", "/root/.granary/instances/abc/passwd", "/etc/passwd"));
        Assert.DoesNotContain(args, a => a is "/root" or "/etc" && args.ToList().IndexOf(a) is var i && args[i - 1] is "--bind" or "--ro-bind");
    }

    [Fact]
    public void Build_Mounts_ParentsMadeReadableBeforeMountingBelowThem()
    {
        var args = Build(Spec(readOnly: ["/opt/node"], cgroup: [("/sys/fs/cgroup/memory/g/n/i", "/sys/fs/cgroup/memory")]));
        var list = args.ToList();

        foreach (var parent in new[] { "/etc", "/home", "/home/granary", "/opt", "/sys", "/sys/fs", "/sys/fs/cgroup", "/var" })
        {
            var at = Enumerable.Range(0, list.Count - 3).Single(i => list[i] == "--perms" && list[i + 1] == "0755" && list[i + 2] == "--dir" && list[i + 3] == parent);
            Assert.True(at < list.IndexOf("/home/granary/app"), parent);
        }

        Assert.True(HasTriple(args, "--ro-bind", "/opt/node", "/opt/node"));
        Assert.True(HasTriple(args, "--ro-bind", "/sys/fs/cgroup/memory/g/n/i", "/sys/fs/cgroup/memory"));
    }

    [Fact]
    public void Build_ProcAndDev_OwnProcfsAndMinimalDev()
    {
        var args = Build(Spec());

        Assert.True(HasTriple(args, "--proc", "/proc", "--dev"));
        Assert.True(HasTriple(args, "--tmpfs", "/dev/shm", "--perms") || args.Contains("/dev/shm"));
        Assert.DoesNotContain(args, a => a == "/sys" && args.ToList().IndexOf(a) is var i && args[i - 1] is "--ro-bind" or "--bind");
    }

    [Theory]
    [InlineData("node-hello", 0, "node-hello-0")]
    [InlineData("My_App", 3, "my-app-3")]
    [InlineData("___", 1, "app-1")]
    public void HostnameFor_AppAndIndex_ValidHostName(string app, int index, string expected) =>
        Assert.Equal(expected, SandboxArguments.HostnameFor(app, index));

    [Fact]
    public void HostnameFor_LongName_CutTo63()
    {
        var name = SandboxArguments.HostnameFor(new string('a', 100), 12);

        Assert.Equal(63, name.Length);
        Assert.EndsWith("-12", name);
    }
}
