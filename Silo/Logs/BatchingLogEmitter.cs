using System.Collections.Immutable;
using System.Threading.Channels;
using Granary.Logs;

namespace Granary.Silo.Logs;

/// <summary>
/// Collects log lines from processes on this silo and appends them to the apps' log grains in
/// batches. Bounded: a flood of output drops the oldest lines rather than the silo's memory.
/// </summary>
public sealed partial class BatchingLogEmitter(IGrainFactory grains, TimeProvider time, ILogger<BatchingLogEmitter> logger)
    : BackgroundService, ILogEmitter
{
    private const int MaxBatch = 500;
    private const int MaxLineLength = 16 * 1024;

    private readonly Channel<(Guid AppId, LogLine Line)> _lines = Channel.CreateBounded<(Guid, LogLine)>(
        new BoundedChannelOptions(100_000) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });

    public void Emit(Guid appId, string source, LogStream stream, string text)
    {
        if (text.Length > MaxLineLength)
        {
            text = text[..MaxLineLength] + " [line truncated]";
        }

        _lines.Writer.TryWrite((appId, new LogLine(0, time.GetUtcNow(), source, stream, text)));
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var batch = new List<(Guid AppId, LogLine Line)>(MaxBatch);
        try
        {
            while (await _lines.Reader.WaitToReadAsync(stoppingToken))
            {
                while (batch.Count < MaxBatch && _lines.Reader.TryRead(out var item))
                {
                    batch.Add(item);
                }

                await FlushAsync(batch);
                batch.Clear();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }

        // Shutdown: whatever the instances said last (often why they stopped) is worth keeping.
        while (_lines.Reader.TryRead(out var item))
        {
            batch.Add(item);
        }

        await FlushAsync(batch);
    }

    private async Task FlushAsync(List<(Guid AppId, LogLine Line)> batch)
    {
        foreach (var app in batch.GroupBy(b => b.AppId))
        {
            try
            {
                await grains.GetGrain<IAppLogGrain>(app.Key).Append(app.Select(a => a.Line).ToImmutableArray());
            }
            catch (Exception e)
            {
                LogAppendFailed(app.Key, app.Count(), e.Message);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Dropped {Count} log lines of app {AppId}: {Reason}")]
    private partial void LogAppendFailed(Guid appId, int count, string reason);
}
