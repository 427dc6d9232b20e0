using Granary.Silo.Dea.Isolation;

namespace Granary.Tests.Dea.Isolation;

public sealed class CgroupPlanTests
{
    private static readonly CgroupLimits Small = new(64, 1024);

    [Fact]
    public void Writes_V1_MemoryThenSwapThenPidsThenShares()
    {
        var writes = CgroupPlan.Writes(CgroupVersion.V1, Small);

        Assert.Equal(
        [
            new("memory", "memory.limit_in_bytes", "67108864"),
            new("memory", "memory.memsw.limit_in_bytes", "67108864", Optional: true),
            new("pids", "pids.max", "1024"),
            new("cpu", "cpu.shares", "64", Optional: true),
        ], writes);
    }

    [Fact]
    public void Writes_V2_MaxNoSwapPidsWeight()
    {
        var writes = CgroupPlan.Writes(CgroupVersion.V2, new CgroupLimits(2048, 512));

        Assert.Equal(
        [
            new("memory", "memory.max", "2147483648"),
            new("memory", "memory.swap.max", "0", Optional: true),
            new("pids", "pids.max", "512"),
            new("cpu", "cpu.weight", "200", Optional: true),
        ], writes);
    }

    [Theory]
    [InlineData(1024, 1024, 100)]
    [InlineData(256, 256, 25)]
    [InlineData(64, 64, 6)]
    [InlineData(1, 2, 1)]
    [InlineData(1_000_000, 262_144, 10_000)]
    public void CpuShare_ProportionalToMemory_WithinTheKernelsBounds(int memoryMb, int shares, int weight)
    {
        Assert.Equal(shares, CgroupPlan.CpuShares(memoryMb));
        Assert.Equal(weight, CgroupPlan.CpuWeight(memoryMb));
    }

    [Fact]
    public void CpuShare_MoreMemory_NeverLessCpu()
    {
        for (var mb = 1; mb < 20_000; mb += 37)
        {
            Assert.True(CgroupPlan.CpuWeight(mb + 37) >= CgroupPlan.CpuWeight(mb));
            Assert.True(CgroupPlan.CpuShares(mb + 37) >= CgroupPlan.CpuShares(mb));
        }
    }

    [Fact]
    public void V2Delegated_OnlyWhatTheKernelOffers()
    {
        Assert.Equal(["memory", "pids"], CgroupPlan.V2Delegated(["pids", "memory", "io"]));
        Assert.Equal(["memory", "pids", "cpu"], CgroupPlan.V2Delegated(["cpu", "memory", "pids"]));
    }

    [Fact]
    public void TakeDown_V1WithFreezer_FreezesKillsThawsThenRemovesEveryHierarchy()
    {
        var script = CgroupPlan.TakeDown(CgroupVersion.V1, ["/cg/memory/g/n/i", "/cg/pids/g/n/i", "/cg/freezer/g/n/i"], "/cg/freezer/g/n/i", false);

        Assert.Contains("echo FROZEN >'/cg/freezer/g/n/i/freezer.state'; for p in $(cat '/cg/memory/g/n/i/cgroup.procs'); do kill -KILL $p; done; "
            + "echo THAWED >'/cg/freezer/g/n/i/freezer.state'", script);
        Assert.Contains("rmdir '/cg/memory/g/n/i' '/cg/pids/g/n/i' '/cg/freezer/g/n/i'; rmdir '/cg/memory/g/n' '/cg/pids/g/n' '/cg/freezer/g/n' 2>/dev/null", script);
    }

    [Fact]
    public void TakeDown_V2WithKillFile_WritesCgroupKill()
    {
        var script = CgroupPlan.TakeDown(CgroupVersion.V2, ["/sys/fs/cgroup/g/n/i"], null, hasKillFile: true);

        Assert.Contains("echo 1 >'/sys/fs/cgroup/g/n/i/cgroup.kill'", script);
        Assert.DoesNotContain("cgroup.freeze", script);
    }

    [Fact]
    public void TakeDown_V2WithoutKillFile_FreezesAndKillsEachProcess()
    {
        var script = CgroupPlan.TakeDown(CgroupVersion.V2, ["/sys/fs/cgroup/g/n/i"], null, hasKillFile: false);

        Assert.Contains("echo 1 >'/sys/fs/cgroup/g/n/i/cgroup.freeze'; for p in", script);
        Assert.Contains("echo 0 >'/sys/fs/cgroup/g/n/i/cgroup.freeze'", script);
    }
}
