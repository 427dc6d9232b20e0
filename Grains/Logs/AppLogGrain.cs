using System.Collections.Immutable;
using Granary.Logs;

namespace Granary.Logs;

/// <summary>
/// Keeps an app's most recent log lines in memory (a ring, like Loggregator's recent logs) and wakes
/// followers as lines arrive. Logs are a stream, not a record: losing them with a silo is acceptable.
/// </summary>
[CollectionAgeLimit(Hours = 24)]
public sealed class AppLogGrain(TimeProvider time) : Grain, IAppLogGrain
{
    public const int Capacity = 2000;

    private readonly Queue<LogLine> _lines = new();
    private long _lastSeq;
    private TaskCompletionSource _arrived = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task Append(ImmutableArray<LogLine> lines)
    {
        foreach (var line in lines)
        {
            _lines.Enqueue(line with { Seq = ++_lastSeq });
            if (_lines.Count > Capacity)
            {
                _lines.Dequeue();
            }
        }

        var arrived = _arrived;
        _arrived = new(TaskCreationOptions.RunContinuationsAsynchronously);
        arrived.TrySetResult();
        return Task.CompletedTask;
    }

    public Task<ImmutableArray<LogLine>> GetRecent(int count) =>
        Task.FromResult(_lines.Skip(Math.Max(0, _lines.Count - Math.Max(0, count))).ToImmutableArray());

    public async Task<ImmutableArray<LogLine>> WaitForLines(long afterSeq, TimeSpan maxWait)
    {
        // A follower ahead of us saw an earlier activation (its numbering restarted): give it everything.
        afterSeq = afterSeq > _lastSeq ? 0 : afterSeq;
        if (_lastSeq <= afterSeq)
        {
            var wait = maxWait > TimeSpan.FromSeconds(20) ? TimeSpan.FromSeconds(20) : maxWait;
            try
            {
                await _arrived.Task.WaitAsync(wait, time);
            }
            catch (TimeoutException)
            {
                return [];
            }
        }

        return _lines.Where(l => l.Seq > afterSeq).ToImmutableArray();
    }
}
