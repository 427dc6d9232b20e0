using System.Diagnostics;
using System.Globalization;
using Granary.Cli.Api;
using Granary.Cli.Output;

namespace Granary.Cli.Running;

/// <summary>Waits until an app's instances run, and explains a crash or a timeout when they do not.</summary>
internal static class StartupWaiter
{
    // A GET of the app costs the API about a millisecond; waiting longer between polls only delays the user.
    public static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(100);

    public static async Task<App> WaitForRunningAsync(GranaryApiClient api, CliConsole console, App app,
        InstanceBaseline baseline, string? dropletHash, TimeSpan timeout, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        string? lastReport = null;
        while (true)
        {
            var progress = InstanceProgress.Evaluate(app, baseline, dropletHash);
            if (progress.Crashed is { } crashed)
                await ReportCrashAsync(api, console, app, crashed, ct);
            if (progress.Done)
                return app;
            if (app.State != AppStates.Started)
                throw new CliException($"{app.Name} was stopped while waiting for it to start");
            var report = progress.Describe();
            if (report != lastReport)
            {
                console.Line("  " + report);
                lastReport = report;
            }
            if (clock.Elapsed >= timeout)
            {
                Formats.Instances(console, app.InstanceDetails ?? []);
                throw new CliException(string.Create(CultureInfo.InvariantCulture,
                    $"timed out after {timeout.TotalSeconds:0} s: {progress.Running} of {progress.Desired} instances of {app.Name} running (see ./granary logs {app.Name} --recent; wait longer with --timeout)"));
            }
            await Task.Delay(PollInterval, ct);
            app = (await api.GetAppAsync(app.Id, ct)).App;
        }
    }

    private static async Task ReportCrashAsync(GranaryApiClient api, CliConsole console, App app, Instance crashed, CancellationToken ct)
    {
        var exit = crashed.LastExitCode is { } code ? code.ToString(CultureInfo.InvariantCulture) : "unknown";
        console.Alert($"Instance {crashed.Index} of {app.Name} crashed (exit code {exit}): {crashed.Message ?? "no message"}");
        // APP/N is the instance's own output; the node may log about it too (e.g. DEA/N).
        var suffix = "/" + crashed.Index.ToString(CultureInfo.InvariantCulture);
        var lines = await TryRecentAsync(api, app.Id, ct);
        var own = lines.Where(l => l.Source is { } s && s != "STG" && s.EndsWith(suffix, StringComparison.Ordinal)).ToList();
        if (own.Count > 0)
        {
            console.Line($"Last log lines of instance {crashed.Index}:");
            foreach (var line in own)
                Formats.WriteLog(console, line);
        }
        throw new CliException($"instance {crashed.Index} of {app.Name} crashed with exit code {exit}");
    }

    // The crash report is the point; a log fetch failing must not hide it.
    private static async Task<List<LogLine>> TryRecentAsync(GranaryApiClient api, string appId, CancellationToken ct)
    {
        try
        {
            return await api.GetRecentLogsAsync(appId, 20, ct);
        }
        catch (CliException)
        {
            return [];
        }
    }

    /// <summary>The closing summary: instances and where to reach the app.</summary>
    public static void PrintSummary(CliConsole console, App app)
    {
        console.Line();
        Formats.Instances(console, app.InstanceDetails ?? []);
        console.Line();
        console.Line(app.Urls is { Count: > 0 } urls ? $"{app.Name} is running at {string.Join(", ", urls)}" : $"{app.Name} is running (no URL)");
    }
}
