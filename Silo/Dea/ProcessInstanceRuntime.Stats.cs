using Granary.Nodes;

namespace Granary.Silo.Dea;

public sealed partial class ProcessInstanceRuntime
{
    /// <summary>Long enough for a busy instance's CPU time to move visibly, short enough for a CLI call.</summary>
    private static readonly TimeSpan CpuSample = TimeSpan.FromMilliseconds(250);

    /// <summary>Reads each instance's cgroup twice, a moment apart: memory now, CPU over the moment.</summary>
    public async Task<IReadOnlyList<InstanceStats>> StatsAsync(IReadOnlyCollection<Guid> instanceIds)
    {
        var runs = instanceIds.Select(id => _runs.GetValueOrDefault(id)).OfType<InstanceRun>().ToList();
        var before = runs.ToDictionary(r => r.Spec.InstanceId, Usage);
        var started = time.GetTimestamp();
        if (before.Values.Any(u => u is not null))
        {
            await Task.Delay(CpuSample, time);
        }

        var elapsed = time.GetElapsedTime(started);
        return runs.Select(run =>
        {
            var after = Usage(run);
            var cpu = before[run.Spec.InstanceId] is { } first && after is { } second
                ? CpuPercent(first.CpuNanoseconds, second.CpuNanoseconds, elapsed)
                : (double?)null;
            return new InstanceStats(run.Spec.InstanceId, cpu, after?.MemoryBytes, run.Spec.MemoryMb * 1024L * 1024L, run.StartedAt);
        }).ToList();
    }

    /// <summary>CPU time used over wall time, in percent of one core (above 100 on several cores).</summary>
    public static double CpuPercent(long cpuBeforeNs, long cpuAfterNs, TimeSpan elapsed) =>
        elapsed <= TimeSpan.Zero ? 0 : Math.Round(Math.Max(0, cpuAfterNs - cpuBeforeNs) / (elapsed.TotalMilliseconds * 1_000_000) * 100, 1);

    private (long MemoryBytes, long CpuNanoseconds)? Usage(InstanceRun run) =>
        run.Sandbox is { } sandbox ? isolation.Cgroups?.Usage(sandbox.Cgroup) : null;
}
