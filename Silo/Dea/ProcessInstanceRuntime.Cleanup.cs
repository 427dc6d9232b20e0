using Granary.Telemetry;

namespace Granary.Silo.Dea;

public sealed partial class ProcessInstanceRuntime
{
    /// <summary>The reason to report when the kernel killed the instance at its memory limit; null otherwise.</summary>
    private string? OutOfMemory(InstanceRun run)
    {
        if (run.Sandbox is not { WasOomKilled: true } sandbox)
        {
            return null;
        }

        GranaryTelemetry.InstancesOomKilled.Add(1);
        LogOutOfMemory(run.Spec.InstanceId, run.Spec.AppName, sandbox.MemoryMb);
        return sandbox.OutOfMemoryReason;
    }

    private async Task RemoveAsync(InstanceRun run)
    {
        if (run.Sandbox is { } sandbox)
        {
            try
            {
                await isolation.ReleaseAsync(sandbox); // before the directory: nothing of the instance may still write there
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                LogCleanupFailed(sandbox.Cgroup, e.Message);
            }
        }

        _runs.TryRemove(run.Spec.InstanceId, out _);
        try
        {
            Directory.Delete(run.Directory, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            LogCleanupFailed(run.Directory, e.Message);
        }
    }
}
