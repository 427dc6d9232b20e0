using System.Buffers;
using System.Text.Unicode;
using System.Threading.Channels;
using Granary.Edge.Hosting;
using Microsoft.Extensions.Options;

namespace Granary.Edge.Traffic;

/// <summary>One request, as the access log records it. <see cref="Target"/> is the raw request target.</summary>
internal readonly record struct AccessLogEntry(
    DateTime Time, string Host, string Method, string Target, int Status, double DurationMs, string? Instance, string RequestId, string? App);

/// <summary>
/// The access log: a request only enqueues an entry (never waits); one background writer formats the
/// lines as UTF-8 every 100 ms and writes each batch with one write, to stdout or <c>Granary:Edge:AccessLogPath</c>.
/// The general logging pipeline costs ten times more per line, which a proxy pays on every request.
/// When the writer cannot keep up, entries are dropped and counted rather than slowing the traffic.
/// </summary>
internal sealed partial class AccessLog : BackgroundService
{
    private const int Capacity = 16_384;
    private const int BatchBytes = 64 * 1024;

    /// <summary>The writer wakes at most this often: one wake-up per line would cost more than the line.</summary>
    private static readonly TimeSpan FlushInterval = TimeSpan.FromMilliseconds(100);
    private readonly Channel<AccessLogEntry> _entries = Channel.CreateBounded<AccessLogEntry>(
        new BoundedChannelOptions(Capacity) { FullMode = BoundedChannelFullMode.Wait, SingleReader = true });

    private readonly ILogger<AccessLog> _logger;
    private readonly string? _path;
    private long _dropped;

    private readonly IOptionsMonitor<EdgeOptions> _options;

    public AccessLog(IOptionsMonitor<EdgeOptions> options, ILogger<AccessLog> logger)
    {
        _logger = logger;
        _options = options;
        _path = options.CurrentValue.AccessLogPath;
    }

    /// <summary>Live: <c>granary config set Granary:Edge:AccessLog false</c> turns it off on every edge without a restart.</summary>
    public bool Enabled => _options.CurrentValue.AccessLog;

    public void Write(in AccessLogEntry entry)
    {
        if (!_entries.Writer.TryWrite(entry))
        {
            Interlocked.Increment(ref _dropped);
        }
    }

    /// <summary>One line, e.g. <c>2026-01-01T00:00:00.000Z shop.localhost "GET /cart" 200 1.204ms instance=2 app=shop request_id=…</c>.</summary>
    public static bool TryFormat(in AccessLogEntry e, Span<byte> destination, out int written)
    {
        var query = e.Target.IndexOf('?');
        var path = query < 0 ? e.Target.AsSpan() : e.Target.AsSpan(0, query);
        return Utf8.TryWrite(destination,
            $"{e.Time:yyyy-MM-ddTHH:mm:ss.fffZ} {e.Host} \"{e.Method} {path}\" {e.Status} {e.DurationMs:0.000}ms instance={e.Instance ?? "-"} app={e.App ?? "-"} request_id={e.RequestId}\n",
            out written);
    }

    protected override async Task ExecuteAsync(CancellationToken stopping)
    {
        // Runs even while disabled: the cluster config can turn the log on at any time, and an idle reader costs nothing.
        await using var output = _path is null
            ? Console.OpenStandardOutput()
            : new FileStream(_path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite, 1, FileOptions.None);
        var buffer = new ArrayBufferWriter<byte>(BatchBytes + 4096);
        try
        {
            while (await _entries.Reader.WaitToReadAsync(stopping))
            {
                await Task.Delay(FlushInterval, stopping);
                await DrainAsync(output, buffer);
            }
        }
        catch (OperationCanceledException)
        {
            await DrainAsync(output, buffer);
        }
    }

    private async Task DrainAsync(Stream output, ArrayBufferWriter<byte> buffer)
    {
        while (_entries.Reader.TryPeek(out _))
        {
            while (buffer.WrittenCount < BatchBytes && _entries.Reader.TryRead(out var entry))
            {
                // Kestrel bounds the request line (8 KB) and headers (32 KB), so 64 KB always holds a line.
                if (!TryFormat(entry, buffer.GetSpan(1024), out var written) && !TryFormat(entry, buffer.GetSpan(64 * 1024), out written))
                {
                    written = 0;
                }

                buffer.Advance(written);
            }

            await output.WriteAsync(buffer.WrittenMemory);
            buffer.ResetWrittenCount();
        }

        await output.FlushAsync();
        var dropped = Interlocked.Exchange(ref _dropped, 0);
        if (dropped > 0)
        {
            LogDropped(dropped);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The access log fell behind: {Dropped} entries dropped")]
    private partial void LogDropped(long dropped);
}
