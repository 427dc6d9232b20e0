using Granary.Instances;
using Granary.Silo.Dea;

namespace Granary.Tests.Dea.Isolation;

/// <summary>granary stats' figures, read from real instances' cgroups.</summary>
public sealed class InstanceStatsTests : IAsyncLifetime
{
    private readonly IsolatedRuntime _dea = new();

    public Task InitializeAsync() => Task.CompletedTask;

    [Fact]
    public async Task StatsAsync_BusyAndIdleInstances_CpuAndMemoryFromTheirCgroups()
    {
        var busy = await _dea.StartAsync("python3 -c 'print(\"spinning\", flush=True)\nwhile True: pass'", memoryMb: 1024);
        var idle = await _dea.StartAsync("python3 -c 'import time\nprint(\"idle\", flush=True)\ntime.sleep(600)'", memoryMb: 256);
        await _dea.WaitForLineAsync(busy, "spinning");
        await _dea.WaitForLineAsync(idle, "idle");

        var stats = (await _dea.Runtime.StatsAsync([busy.InstanceId, idle.InstanceId, Guid.NewGuid()])).ToDictionary(s => s.InstanceId);

        Assert.Equal(2, stats.Count);
        // A shared machine gives a spinning process less than a core; an idle one stays near nothing.
        Assert.True(stats[busy.InstanceId].CpuPercent > 20, $"busy: {stats[busy.InstanceId].CpuPercent}%");
        Assert.True(stats[idle.InstanceId].CpuPercent < 10, $"idle: {stats[idle.InstanceId].CpuPercent}%");
        Assert.InRange(stats[idle.InstanceId].MemoryBytes!.Value, 1, 256L * 1024 * 1024);
        Assert.Equal(1024L * 1024 * 1024, stats[busy.InstanceId].MemoryLimitBytes);
        Assert.Equal(256L * 1024 * 1024, stats[idle.InstanceId].MemoryLimitBytes);
    }

    [Theory]
    [InlineData(0, 250_000_000, 250, 100.0)]
    [InlineData(1_000, 125_001_000, 250, 50.0)]
    [InlineData(0, 1_000_000_000, 500, 200.0)]
    [InlineData(500, 100, 250, 0.0)]
    [InlineData(0, 100, 0, 0.0)]
    public void CpuPercent_CpuTimeOverWallTime_PercentOfOneCore(long before, long after, int elapsedMs, double expected) =>
        Assert.Equal(expected, ProcessInstanceRuntime.CpuPercent(before, after, TimeSpan.FromMilliseconds(elapsedMs)));

    public async Task DisposeAsync() => await _dea.DisposeAsync();
}
