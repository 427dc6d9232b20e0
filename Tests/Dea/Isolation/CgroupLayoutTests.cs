using Granary.Silo.Dea.Isolation;

namespace Granary.Tests.Dea.Isolation;

public sealed class CgroupLayoutTests
{
    // This kind of machine: v1 hierarchies per controller, and an empty cgroup2 at /sys/fs/cgroup/unified.
    private static readonly string[] Hybrid =
    [
        "21 26 0:20 / /proc rw,relatime - proc proc rw",
        "30 22 0:27 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755",
        "31 30 0:28 / /sys/fs/cgroup/cpu rw,relatime - cgroup cgroup rw,cpu",
        "32 30 0:29 / /sys/fs/cgroup/cpuacct rw,relatime - cgroup cgroup rw,cpuacct",
        "34 30 0:31 / /sys/fs/cgroup/memory rw,relatime - cgroup cgroup rw,memory",
        "36 30 0:33 / /sys/fs/cgroup/freezer rw,relatime - cgroup cgroup rw,freezer",
        "38 30 0:35 / /sys/fs/cgroup/pids rw,relatime - cgroup cgroup rw,pids",
        "39 30 0:36 / /sys/fs/cgroup/systemd rw,relatime - cgroup cgroup rw,name=systemd",
        "40 30 0:37 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw",
    ];

    private static readonly string[] UnifiedOnly =
    [
        "25 1 0:22 / /sys/fs/cgroup rw,nosuid,nodev,noexec,relatime shared:4 - cgroup2 cgroup2 rw,nsdelegate,memory_recursiveprot",
    ];

    [Fact]
    public void Detect_V1HierarchiesAndEmptyCgroup2_V1WithEachControllersMount()
    {
        var (layout, problem) = CgroupLayout.Detect(Hybrid, _ => "");

        Assert.Null(problem);
        Assert.Equal(CgroupVersion.V1, layout!.Version);
        Assert.Equal("/sys/fs/cgroup/memory", layout.Mounts["memory"]);
        Assert.Equal("/sys/fs/cgroup/pids", layout.Mounts["pids"]);
        Assert.Equal("/sys/fs/cgroup/freezer", layout.Mounts["freezer"]);
        Assert.Equal("/sys/fs/cgroup/cpuacct", layout.Mounts["cpuacct"]);
        Assert.False(layout.Has("name=systemd"));
    }

    [Fact]
    public void Detect_CoMountedCpuAndCpuacct_BothInTheSameHierarchy()
    {
        var (layout, _) = CgroupLayout.Detect(
        [
            "31 30 0:28 / /sys/fs/cgroup/cpu,cpuacct rw - cgroup cgroup rw,cpu,cpuacct",
            "34 30 0:31 / /sys/fs/cgroup/memory rw - cgroup cgroup rw,memory",
            "38 30 0:35 / /sys/fs/cgroup/pids rw - cgroup cgroup rw,pids",
        ], _ => null);

        Assert.Equal("/sys/fs/cgroup/cpu,cpuacct", layout!.Mounts["cpu"]);
        Assert.Equal("/sys/fs/cgroup/cpu,cpuacct", layout.Mounts["cpuacct"]);
    }

    [Fact]
    public void Detect_Cgroup2WithControllers_V2()
    {
        var (layout, problem) = CgroupLayout.Detect(UnifiedOnly, mount => mount == "/sys/fs/cgroup" ? "cpuset cpu io memory hugetlb pids rdma misc\n" : null);

        Assert.Null(problem);
        Assert.Equal(CgroupVersion.V2, layout!.Version);
        Assert.Equal("/sys/fs/cgroup", layout.Mounts["memory"]);
        Assert.True(layout.Has("cpu"));
    }

    [Fact]
    public void Detect_Cgroup2WithoutPids_NullWithTheMissingController()
    {
        var (layout, problem) = CgroupLayout.Detect(UnifiedOnly, _ => "cpu memory");

        Assert.Null(layout);
        Assert.Contains("pids", problem);
    }

    [Fact]
    public void Detect_NoCgroupMounts_NullSayingSo()
    {
        var (layout, problem) = CgroupLayout.Detect(["21 26 0:20 / /proc rw,relatime - proc proc rw"], _ => null);

        Assert.Null(layout);
        Assert.Equal("no cgroup file system is mounted", problem);
    }

    [Fact]
    public void Detect_SubtreeBindMount_Ignored()
    {
        var (layout, _) = CgroupLayout.Detect(
        [
            "34 30 0:31 /docker/abc /sys/fs/cgroup/memory rw - cgroup cgroup rw,memory",
            "38 30 0:35 / /sys/fs/cgroup/pids rw - cgroup cgroup rw,pids",
        ], _ => null);

        Assert.Null(layout);
    }

    [Fact]
    public void Detect_EscapedSpaceInMountPoint_Unescaped()
    {
        var (layout, _) = CgroupLayout.Detect(["25 1 0:22 / /mnt/my\\040cgroup rw - cgroup2 cgroup2 rw"], _ => "memory pids");

        Assert.Equal("/mnt/my cgroup", layout!.Mounts["pids"]);
    }
}
