using System.Collections.Immutable;
using Granary.Apps;

namespace Granary.Apps;

[GenerateSerializer, Alias("granary.space-state")]
public sealed class SpaceState
{
    /// <summary>App id by name. Names are unique within a space only.</summary>
    [Id(0)] public Dictionary<string, Guid> Apps { get; set; } = new(StringComparer.Ordinal);

    /// <summary>The last deleted app of each name, so its events stay findable; bounded, oldest dropped first.</summary>
    [Id(1)] public List<KeyValuePair<string, Guid>> Deleted { get; set; } = [];
}

public sealed class SpaceGrain(
    [PersistentState("space", GrainStorage.Name)] IPersistentState<SpaceState> state) : Grain, ISpaceGrain
{
    public async Task<AppDetails> CreateApp(AppSpec spec)
    {
        if (state.State.Apps.ContainsKey(spec.Name))
        {
            throw new AppNameTakenException($"an app named '{spec.Name}' already exists in this space");
        }

        var id = Guid.NewGuid();
        state.State.Apps[spec.Name] = id;
        await state.WriteStateAsync();
        try
        {
            return await GrainFactory.GetGrain<IAppGrain>(id).Initialize(this.GetPrimaryKeyString(), spec);
        }
        catch
        {
            // The app was refused (invalid spec): give the name back so nothing changed.
            state.State.Apps.Remove(spec.Name);
            await state.WriteStateAsync();
            throw;
        }
    }

    public Task<Guid?> FindApp(string name) =>
        Task.FromResult(state.State.Apps.TryGetValue(name, out var id) ? id : (Guid?)null);

    public Task<ImmutableArray<Guid>> ListApps() =>
        Task.FromResult(state.State.Apps.OrderBy(a => a.Key, StringComparer.Ordinal).Select(a => a.Value).ToImmutableArray());

    public async Task RenameApp(Guid appId, string oldName, string newName)
    {
        if (state.State.Apps.TryGetValue(newName, out var holder) && holder != appId)
        {
            throw new AppNameTakenException($"an app named '{newName}' already exists in this space");
        }

        if (state.State.Apps.GetValueOrDefault(oldName) == appId)
        {
            state.State.Apps.Remove(oldName);
        }

        state.State.Apps[newName] = appId;
        await state.WriteStateAsync();
    }

    public const int DeletedKept = 1000;

    public async Task ReleaseApp(Guid appId, string name)
    {
        if (state.State.Apps.GetValueOrDefault(name) == appId)
        {
            state.State.Apps.Remove(name);
            state.State.Deleted.RemoveAll(d => d.Key == name);
            state.State.Deleted.Add(new(name, appId));
            if (state.State.Deleted.Count > DeletedKept)
            {
                state.State.Deleted.RemoveAt(0);
            }

            await state.WriteStateAsync();
        }
    }

    public Task<Guid?> FindDeletedApp(string name) =>
        Task.FromResult(state.State.Deleted.LastOrDefault(d => d.Key == name) is { Key: not null } d ? d.Value : (Guid?)null);
}
