using Granary.Instances;
using Granary.Silo.Processes;

namespace Granary.Silo.Dea;

public sealed partial class ProcessInstanceRuntime
{
    public async Task ReapOrphansAsync(CancellationToken cancellationToken)
    {
        // Cgroups first: killing one takes every process of the instance, including those that left its process group.
        // The DEA grain announces again after a reactivation: this run's own instances are not orphans.
        foreach (var name in await isolation.ReapAsync(name => Guid.TryParseExact(name, "N", out var id) && _runs.ContainsKey(id)))
        {
            LogReapedCgroup($"{isolation.CgroupParent}/{name}");
        }

        var root = options.Value.InstancesDirectory;
        Directory.CreateDirectory(root);
        foreach (var directory in Directory.EnumerateDirectories(root))
        {
            if (Guid.TryParseExact(Path.GetFileName(directory), "N", out var id) && _runs.ContainsKey(id))
            {
                continue; // ours, from this run
            }

            var marker = ProcessMarker.Read(directory);
            if (marker is not null && marker.IsAlive())
            {
                PosixSignals.SignalGroup(marker.ProcessGroup, PosixSignals.SigKill);
                LogReaped(marker.InstanceId, marker.ProcessGroup);
            }

            try
            {
                Directory.Delete(directory, recursive: true);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                LogCleanupFailed(directory, e.Message);
            }

            if (marker is not null)
            {
                await TryReportAsync(new InstanceReport(marker.InstanceId, InstanceState.Crashed, null, null, null,
                    "its node restarted and cleaned it up"));
            }
        }
    }
}
