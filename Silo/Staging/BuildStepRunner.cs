using Granary.Logs;
using Granary.Silo.Processes;

namespace Granary.Silo.Staging;

/// <summary>Runs one build step as its own process group and makes sure nothing it started outlives it.</summary>
internal static class BuildStepRunner
{
    private static readonly TimeSpan StopGrace = TimeSpan.FromSeconds(5);

    /// <summary>The step's exit code. Throws OperationCanceledException, after killing the step, when cancelled.</summary>
    public static async Task<int> RunAsync(
        BuildStep step, string directory, IReadOnlyDictionary<string, string> environment, Action<LogStream, string> onLine,
        CancellationToken cancellationToken)
    {
        using var child = ChildProcess.Start(new ChildProcessStart(step.Command, directory, environment), onLine);
        try
        {
            return await child.Exited.WaitAsync(cancellationToken);
        }
        finally
        {
            // Also after a normal exit: builds leave daemons behind (compiler servers, watchers) that must not
            // keep running, or keep the work folder busy, once the step is over.
            try
            {
                await child.StopAsync(StopGrace);
            }
            catch (TimeoutException)
            {
                // The group was sent SIGKILL; a process stuck in the kernel is all that can remain.
            }
        }
    }
}
