using System.Collections.Immutable;
using Orleans.Concurrency;

namespace Granary.Logs;

/// <summary>An app's recent log lines (a bounded ring); keyed by app id.</summary>
public interface IAppLogGrain : IGrainWithGuidKey
{
    /// <summary>Appends lines; their Seq is assigned here (the caller's is ignored).</summary>
    Task Append(ImmutableArray<LogLine> lines);

    /// <summary>The last <paramref name="count"/> lines, oldest first.</summary>
    Task<ImmutableArray<LogLine>> GetRecent(int count);

    /// <summary>Lines after <paramref name="afterSeq"/>; waits up to <paramref name="maxWait"/> for one to arrive.</summary>
    [AlwaysInterleave]
    Task<ImmutableArray<LogLine>> WaitForLines(long afterSeq, TimeSpan maxWait);
}
