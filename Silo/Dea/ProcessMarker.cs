using System.Text.Json;
using Granary.Silo.Processes;

namespace Granary.Silo.Dea;

/// <summary>
/// A file in each instance directory naming its process group, so that a node restarting after a
/// crash can find and kill what it left running, and not a stranger that reused the pid.
/// </summary>
internal sealed record ProcessMarker(Guid InstanceId, Guid AppId, int ProcessGroup, long? StartTicks)
{
    public const string FileName = "process.json";

    public void Write(string instanceDirectory) =>
        File.WriteAllText(Path.Combine(instanceDirectory, FileName), JsonSerializer.Serialize(this));

    public static ProcessMarker? Read(string instanceDirectory)
    {
        try
        {
            return JsonSerializer.Deserialize<ProcessMarker>(File.ReadAllText(Path.Combine(instanceDirectory, FileName)));
        }
        catch (Exception e) when (e is IOException or JsonException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>True when the recorded process still runs and is the one we started.</summary>
    public bool IsAlive() =>
        StartTicks is { } ticks && PosixSignals.ProcessStartTicks(ProcessGroup) == ticks;
}
