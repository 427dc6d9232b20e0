using System.Diagnostics;
using Granary.Cli.Api;
using Granary.Cli.Output;

namespace Granary.Cli.Running;

/// <summary>Shows a build's output live and waits for its outcome.</summary>
internal static class StagingWatcher
{
    // Staging has its own limits on the server; this only keeps a wedged server from hanging the CLI.
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(30);
    private static readonly TimeSpan LogGrace = TimeSpan.FromMilliseconds(300);

    /// <summary>Polls the app until <paramref name="buildId"/> is STAGED or FAILED, printing STG lines meanwhile.</summary>
    public static async Task<App> WaitAsync(GranaryApiClient api, CliConsole console, string appId, string buildId,
        LogFollower? logs, CancellationToken ct)
    {
        using var stopLogs = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var printer = logs is null ? Task.CompletedTask : PrintStagingAsync(logs, console, stopLogs.Token);
        var clock = Stopwatch.StartNew();
        try
        {
            while (true)
            {
                var app = (await api.GetAppAsync(appId, ct)).App;
                if (app.Staging is { } s && s.BuildId == buildId && s.State is StagingStates.Staged or StagingStates.Failed)
                {
                    // The last lines of a build can trail its outcome by a moment.
                    stopLogs.CancelAfter(LogGrace);
                    await printer;
                    return app;
                }
                if (clock.Elapsed > Limit)
                    throw new CliException($"build {buildId} did not finish in {Limit.TotalMinutes:0} minutes (see ./granary logs {app.Name} --recent)");
                await Task.Delay(StartupWaiter.PollInterval, ct);
            }
        }
        finally
        {
            await stopLogs.CancelAsync();
            await printer;
        }
    }

    private static async Task PrintStagingAsync(LogFollower logs, CliConsole console, CancellationToken ct)
    {
        try
        {
            await foreach (var line in logs.ReadAllAsync(ct))
            {
                if (line.Source == "STG")
                    Formats.WriteLog(console, line);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or HttpRequestException)
        {
            // Live output is a courtesy: the outcome comes from polling the app.
        }
    }
}
