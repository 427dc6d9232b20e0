using Granary.Instances;

namespace Granary.Silo.Dea;

public sealed partial class ProcessInstanceRuntime
{
    [LoggerMessage(Level = LogLevel.Warning, Message = "Instance {InstanceId} of {AppName} could not be started")]
    private partial void LogStartFailed(Exception exception, Guid instanceId, string appName);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Instance {InstanceId} of {AppName} (index {Index}) crashed, exit code {ExitCode}: {Problem}")]
    private partial void LogCrashed(Guid instanceId, string appName, int index, int? exitCode, string problem);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not remove instance directory {Directory}: {Reason}")]
    private partial void LogCleanupFailed(string directory, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not report instance {InstanceId} as {State}: {Reason}")]
    private partial void LogReportFailed(Guid instanceId, InstanceState state, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Instance {InstanceId} of {AppName} was killed by the kernel at its memory limit of {MemoryMb} MB")]
    private partial void LogOutOfMemory(Guid instanceId, string appName, int memoryMb);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Reaped cgroup {Cgroup} left by a previous run, with every process in it")]
    private partial void LogReapedCgroup(string cgroup);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Reaped orphaned instance {InstanceId} (process group {ProcessGroup}) left by a previous run")]
    private partial void LogReaped(Guid instanceId, int processGroup);
}
