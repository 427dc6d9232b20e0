using System.Collections.Concurrent;
using Orleans.Storage;

namespace Granary.Tests.Health;

/// <summary>
/// Grain storage that outlives any one silo, standing in for PostgreSQL in in-process cluster tests:
/// Orleans' memory storage keeps state inside silos, so killing a silo would also lose what it stored.
/// States are copied (Orleans' deep copier) so no silo shares an object with another.
/// </summary>
public sealed class DurableTestStorage(ConcurrentDictionary<string, (string ETag, object State)> rows, Orleans.Serialization.Serializer serializer)
    : IGrainStorage
{
    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        if (rows.TryGetValue(Key(stateName, grainId), out var row))
        {
            grainState.State = serializer.Deserialize<T>(serializer.SerializeToArray((T)row.State));
            grainState.ETag = row.ETag;
            grainState.RecordExists = true;
        }

        return Task.CompletedTask;
    }

    public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var key = Key(stateName, grainId);
        var etag = Guid.NewGuid().ToString("N");
        object copy = serializer.Deserialize<T>(serializer.SerializeToArray(grainState.State))!;
        rows.AddOrUpdate(key,
            _ => grainState.ETag is null ? (etag, copy) : throw new InconsistentStateException("row vanished"),
            (_, existing) => existing.ETag == grainState.ETag ? (etag, copy) : throw new InconsistentStateException("etag mismatch"));
        grainState.ETag = etag;
        grainState.RecordExists = true;
        return Task.CompletedTask;
    }

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        rows.TryRemove(Key(stateName, grainId), out _);
        grainState.ETag = null;
        grainState.RecordExists = false;
        return Task.CompletedTask;
    }

    private static string Key(string stateName, GrainId grainId) => $"{stateName}/{grainId}";
}
