using Granary.Logs;

namespace Granary.Logs;

/// <summary>
/// Accepts log lines from staging and instance processes. Emit never blocks and never throws:
/// a slow log path must not stall an app's stdout; lines are batched into the app's log grain.
/// </summary>
public interface ILogEmitter
{
    void Emit(Guid appId, string source, LogStream stream, string text);
}
