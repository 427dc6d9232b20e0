using System.Threading.Channels;
using Granary.Edge.Hosting;
using Microsoft.Extensions.Options;

namespace Granary.Edge.Traffic;

/// <summary>One request, as the access log records it.</summary>
internal readonly record struct AccessLogEntry(
    DateTime Time, string Host, string Method, string Path, int Status, double DurationMs, string? Instance, string RequestId, string? App);

/// <summary>
/// The access log: requests enqueue an entry without waiting and one background reader writes the lines.
/// When the writer cannot keep up, entries are dropped (and counted) rather than slowing the traffic.
/// </summary>
internal sealed partial class AccessLog : BackgroundService
{
    private const int Capacity = 16_384;
    private readonly Channel<AccessLogEntry> _entries = Channel.CreateBounded<AccessLogEntry>(
        new BoundedChannelOptions(Capacity) { FullMode = BoundedChannelFullMode.Wait, SingleReader = true });

    private readonly ILogger _logger;
    private long _dropped;

    public AccessLog(ILoggerFactory loggers, IOptions<EdgeOptions> options)
    {
        _logger = loggers.CreateLogger("Granary.Edge.Access");
        Enabled = options.Value.AccessLog && _logger.IsEnabled(LogLevel.Information);
    }

    public bool Enabled { get; }

    public void Write(in AccessLogEntry entry)
    {
        if (!_entries.Writer.TryWrite(entry))
        {
            Interlocked.Increment(ref _dropped);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stopping)
    {
        try
        {
            while (await _entries.Reader.WaitToReadAsync(stopping))
            {
                Drain();
            }
        }
        catch (OperationCanceledException)
        {
            Drain();
        }
    }

    private void Drain()
    {
        while (_entries.Reader.TryRead(out var e))
        {
            LogRequest(_logger, e.Time, e.Host, e.Method, e.Path, e.Status, e.DurationMs, e.Instance ?? "-", e.App ?? "-", e.RequestId);
        }

        var dropped = Interlocked.Exchange(ref _dropped, 0);
        if (dropped > 0)
        {
            LogDropped(_logger, dropped);
        }
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Information,
        Message = "{Time:yyyy-MM-ddTHH:mm:ss.fffZ} {Host} \"{Method} {Path}\" {Status} {DurationMs:0.000}ms instance={Instance} app={App} request_id={RequestId}")]
    private static partial void LogRequest(ILogger logger, DateTime time, string host, string method, string path, int status,
        double durationMs, string instance, string app, string requestId);

    [LoggerMessage(EventId = 2, Level = LogLevel.Warning, Message = "The access log fell behind: {Dropped} entries dropped")]
    private static partial void LogDropped(ILogger logger, long dropped);
}
