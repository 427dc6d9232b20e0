using System.Collections.Concurrent;
using Orleans.Storage;

namespace Granary.Tests.Routes;

/// <summary>
/// Grain storage around another that records which records each grain read and wrote, and can be told to fail a
/// grain's next writes the way a database outage would (the write throws; nothing is stored).
/// </summary>
public sealed class RecordingStorage(IGrainStorage inner) : IGrainStorage
{
    private readonly ConcurrentQueue<(string Operation, string StateName, GrainId Grain)> _operations = new();
    private readonly ConcurrentDictionary<GrainId, int> _failWrites = new();

    public void FailNextWrites(GrainId grain, int count) => _failWrites[grain] = count;

    /// <summary>The state names <paramref name="grain"/> wrote (cleared records included), oldest first.</summary>
    public IReadOnlyList<string> Writes(GrainId grain) => Names("write", grain);

    public IReadOnlyList<string> Reads(GrainId grain) => Names("read", grain);

    public IReadOnlyList<string> Clears(GrainId grain) => Names("clear", grain);

    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        _operations.Enqueue(("read", stateName, grainId));
        return inner.ReadStateAsync(stateName, grainId, grainState);
    }

    public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        if (_failWrites.TryGetValue(grainId, out var left) && left > 0)
        {
            _failWrites[grainId] = left - 1;
            throw new IOException("the test storage refuses this write");
        }

        _operations.Enqueue(("write", stateName, grainId));
        return inner.WriteStateAsync(stateName, grainId, grainState);
    }

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        _operations.Enqueue(("clear", stateName, grainId));
        return inner.ClearStateAsync(stateName, grainId, grainState);
    }

    private List<string> Names(string operation, GrainId grain) =>
        [.. _operations.Where(o => o.Operation == operation && o.Grain == grain).Select(o => o.StateName)];
}
