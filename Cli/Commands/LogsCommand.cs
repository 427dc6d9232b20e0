using System.CommandLine;
using Granary.Cli.Output;

namespace Granary.Cli.Commands;

internal static class LogsCommand
{
    private const int RecentLines = 200;

    public static Command Create(CliHost host)
    {
        var name = GlobalOptions.AppName();
        var recent = new Option<bool>("--recent") { Description = $"Print the last {RecentLines} lines and exit (default: follow until Ctrl-C)" };
        var command = new Command("logs", "Show an app's log: staging (STG), instances (APP/N) and the API") { name, recent };
        command.SetAction(host, async (parse, ctx, ct) =>
        {
            var app = await ctx.Api.RequireAppAsync(parse.GetValue(name)!, ct);
            if (parse.GetValue(recent))
            {
                foreach (var line in await ctx.Api.GetRecentLogsAsync(app.Id, RecentLines, ct))
                    Formats.WriteLog(ctx.Console, line);
                return 0;
            }
            using var follower = await ctx.Api.FollowLogsAsync(app.Id, 0, ct);
            try
            {
                await foreach (var line in follower.ReadAllAsync(ct))
                    Formats.WriteLog(ctx.Console, line);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                // Ctrl-C is how a follow ends.
                return 0;
            }
            catch (Exception e) when (e is IOException or HttpRequestException)
            {
                throw new CliException($"the log stream from {ctx.Api.BaseUrl} broke off: {e.Message}");
            }
            throw new CliException($"the API at {ctx.Api.BaseUrl} closed the log stream");
        });
        return command;
    }
}
