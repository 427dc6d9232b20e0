using Granary.Apps;
using Granary.Cluster;
using Granary.Staging;
using Microsoft.Extensions.Logging;

namespace Granary.Staging;

/// <summary>
/// Runs builds on a silo with the stager role. Enqueue returns at once: a build takes far longer than
/// a grain call may, so the outcome is delivered to the app grain when it is ready.
/// </summary>
[StagerPlacement]
public sealed partial class StagerGrain(IStagingRuntime runtime, ILogger<StagerGrain> logger) : Grain, IStagerGrain
{
    // Builds are CPU- and disk-heavy; on a small node two at a time keeps the machine responsive.
    private static readonly SemaphoreSlim Slots = new(2);

    public Task Enqueue(StagingJob job)
    {
        var app = GrainFactory.GetGrain<IAppGrain>(job.AppId);
        _ = Task.Run(async () =>
        {
            StagingOutcome outcome;
            await Slots.WaitAsync();
            try
            {
                outcome = await runtime.StageAsync(job, CancellationToken.None);
            }
            catch (Exception e)
            {
                LogStagingCrashed(e, job.BuildId, job.AppId);
                outcome = new StagingOutcome(job.BuildId, null, $"staging failed inside Granary: {e.Message}");
            }
            finally
            {
                Slots.Release();
            }

            await app.OnStagingCompleted(outcome);
        });
        return Task.CompletedTask;
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Build {BuildId} of app {AppId} failed with an internal error")]
    private partial void LogStagingCrashed(Exception exception, string buildId, Guid appId);
}
