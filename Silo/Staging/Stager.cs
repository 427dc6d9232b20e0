using System.Diagnostics;
using System.Text.RegularExpressions;
using Granary.Logs;
using Granary.Staging;
using Granary.Telemetry;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Granary.Silo.Staging;

/// <summary>
/// Builds a stored package into a droplet: unpack into WorkDirectory/&lt;buildId&gt;/app, detect, run the
/// build steps, write .granary/droplet.json, pack and store. Everything the user should see goes to the
/// app's log as "STG" lines; a user's mistake becomes an outcome with Error, never an exception.
/// </summary>
public sealed partial class Stager(
    IOptions<StagingOptions> options,
    PackageStore packages,
    IDropletStore droplets,
    ILogEmitter logs,
    ILogger<Stager> logger,
    TimeProvider time) : IStagingRuntime
{
    private const string Source = "STG";

    public async Task<StagingOutcome> StageAsync(StagingJob job, CancellationToken cancellationToken)
    {
        if (!BuildIdPattern().IsMatch(job.BuildId))
        {
            throw new ArgumentException($"build id '{job.BuildId}' cannot name a folder", nameof(job));
        }

        using var activity = GranaryTelemetry.ActivitySource.StartActivity("staging");
        activity?.SetTag("granary.app.id", job.AppId.ToString());
        activity?.SetTag("granary.app.name", job.AppName);
        activity?.SetTag("granary.build.id", job.BuildId);
        activity?.SetTag("granary.package.id", job.PackageId);

        var started = time.GetTimestamp();
        var folder = new BuildFolder(Path.Combine(Path.GetFullPath(options.Value.WorkDirectory), job.BuildId));
        var run = new StagingRun(job, folder, options.Value, packages, droplets, time, line => Say(job.AppId, line), Output(job.AppId));
        var framework = "unknown";
        var result = "failed";
        try
        {
            using var timeout = new CancellationTokenSource(options.Value.BuildTimeout, time);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
            try
            {
                var droplet = await run.RunAsync(detected => framework = detected, linked.Token);
                result = "succeeded";
                activity?.SetTag("granary.droplet.hash", droplet.Hash);
                LogStaged(job.BuildId, job.AppId, droplet.Framework, droplet.Hash, time.GetElapsedTime(started).TotalSeconds);
                return new StagingOutcome(job.BuildId, droplet, null);
            }
            catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                return Fail(job, activity, $"the build took longer than {options.Value.BuildTimeout} and was stopped{run.DuringStep}");
            }
            catch (BuildFailedException e)
            {
                return Fail(job, activity, e.Message);
            }
        }
        catch (OperationCanceledException)
        {
            result = "canceled";
            throw;
        }
        finally
        {
            activity?.SetTag("granary.framework", framework);
            var tags = new TagList { { "framework", framework }, { "outcome", result } };
            GranaryTelemetry.StagingRuns.Add(1, tags);
            GranaryTelemetry.StagingDuration.Record(time.GetElapsedTime(started).TotalSeconds, tags);
            if (!WorkFolder.DeleteQuietly(folder.Root))
            {
                LogCleanupFailed(folder.Root);
            }
        }
    }

    private StagingOutcome Fail(StagingJob job, Activity? activity, string error)
    {
        Say(job.AppId, $"-----> Staging failed: {error}");
        activity?.SetStatus(ActivityStatusCode.Error, error);
        LogBuildFailed(job.BuildId, job.AppId, error);
        return new StagingOutcome(job.BuildId, null, error);
    }

    private void Say(Guid appId, string line) => logs.Emit(appId, Source, LogStream.Out, line);

    private Action<LogStream, string> Output(Guid appId) => (stream, text) => logs.Emit(appId, Source, stream, text);

    [GeneratedRegex("^[A-Za-z0-9_-]{1,128}$")]
    private static partial Regex BuildIdPattern();

    [LoggerMessage(Level = LogLevel.Information, Message = "Build {BuildId} of app {AppId} staged a {Framework} droplet {Hash} in {Seconds:0.0} s")]
    private partial void LogStaged(string buildId, Guid appId, string framework, string hash, double seconds);

    [LoggerMessage(Level = LogLevel.Information, Message = "Build {BuildId} of app {AppId} failed: {Error}")]
    private partial void LogBuildFailed(string buildId, Guid appId, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not fully remove the build folder {Folder}")]
    private partial void LogCleanupFailed(string folder);
}
