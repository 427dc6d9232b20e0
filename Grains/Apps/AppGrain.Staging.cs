using Granary.Apps;
using Granary.Staging;
using Granary.Telemetry;
using Microsoft.Extensions.Logging;

namespace Granary.Apps;

public sealed partial class AppGrain
{
    public async Task<string> StartBuild(string packageId)
    {
        var app = Existing();
        if (app.Staging.State == StagingState.Staging)
        {
            throw new BuildInProgressException(
                $"build {app.Staging.BuildId} of '{app.Spec.Name}' is still running; wait for it to finish");
        }

        var buildId = Guid.NewGuid().ToString("N")[..12];
        state.State.App = app with
        {
            Staging = new StagingStatus(StagingState.Staging, buildId, packageId, null, time.GetUtcNow(), null),
        };
        await SaveAsync();
        await GrainFactory.GetGrain<IStagerGrain>(0).Enqueue(new StagingJob(Id, app.Spec.Name, buildId, packageId, app.Spec.Command));

        // The stager reports back; if its silo dies mid-build nobody would, so stop waiting after a deadline.
        _stagingDeadline?.Dispose();
        _stagingDeadline = this.RegisterGrainTimer(
            () => OnStagingCompleted(new StagingOutcome(buildId, null, "the build did not finish in time (its stager may have stopped)")),
            new GrainTimerCreationOptions(options.Value.StagingDeadline, Timeout.InfiniteTimeSpan));
        LogBuildStarted(Id, buildId, packageId);
        return buildId;
    }

    public Task<string> Restage()
    {
        var app = Existing();
        var packageId = state.State.StagedPackageId ?? app.Staging.PackageId
            ?? throw new InvalidAppException($"'{app.Spec.Name}' has no uploaded bits to restage: push it first");
        return StartBuild(packageId);
    }

    public async Task OnStagingCompleted(StagingOutcome outcome)
    {
        var app = state.State.App;
        if (app is null || app.Staging.BuildId != outcome.BuildId || app.Staging.State != StagingState.Staging)
        {
            return; // a late answer for a build that was superseded or already timed out
        }

        _stagingDeadline?.Dispose();
        var now = time.GetUtcNow();
        if (outcome.Droplet is { } droplet)
        {
            state.State.App = app with
            {
                Droplet = droplet,
                Staging = app.Staging with { State = StagingState.Staged, FinishedAt = now },
                Version = app.Version + 1,
                UpdatedAt = now,
            };
            state.State.StagedPackageId = app.Staging.PackageId;
            AddEvent(AppEventTypes.Staged, $"staged a {droplet.Framework} droplet", ("droplet", droplet.Hash), ("buildId", outcome.BuildId));
            await ConvergeAsync();
        }
        else
        {
            // The previous droplet, if any, keeps running: a failed build changes nothing that serves traffic.
            state.State.App = app with
            {
                Staging = app.Staging with { State = StagingState.Failed, Error = outcome.Error, FinishedAt = now },
            };
            AddEvent(AppEventTypes.StagingFailed, $"staging failed: {outcome.Error}", ("buildId", outcome.BuildId));
        }

        await SaveAsync();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "App {AppId}: build {BuildId} of package {PackageId} started")]
    private partial void LogBuildStarted(Guid appId, string buildId, string packageId);
}
