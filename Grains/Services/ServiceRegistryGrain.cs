using System.Collections.Immutable;

namespace Granary.Services;

[GenerateSerializer, Alias("granary.service-registry-state")]
public sealed class ServiceRegistryState
{
    [Id(0)] public SortedSet<string> Brokers { get; set; } = new(StringComparer.Ordinal);

    [Id(1)] public Dictionary<string, Guid> Instances { get; set; } = new(StringComparer.Ordinal);
}

/// <summary>One grain for the names: creating a broker or service is rare, so one activation is no bottleneck.</summary>
public sealed class ServiceRegistryGrain(
    [PersistentState("service-registry", GrainStorage.Name)] IPersistentState<ServiceRegistryState> state) : Grain, IServiceRegistryGrain
{
    public async Task ReserveBroker(string name)
    {
        if (!state.State.Brokers.Add(name))
            throw new ServiceConflictException($"a service broker named {name} is already registered");
        await state.WriteStateAsync();
    }

    public async Task ReleaseBroker(string name)
    {
        if (state.State.Brokers.Remove(name))
            await state.WriteStateAsync();
    }

    public Task<ImmutableArray<string>> Brokers() => Task.FromResult(state.State.Brokers.ToImmutableArray());

    public async Task ReserveInstance(string name, Guid instanceId)
    {
        if (state.State.Instances.TryGetValue(name, out var existing) && existing != instanceId)
            throw new ServiceConflictException($"a service instance named {name} already exists");
        state.State.Instances[name] = instanceId;
        await state.WriteStateAsync();
    }

    public async Task ReleaseInstance(string name, Guid instanceId)
    {
        if (state.State.Instances.TryGetValue(name, out var existing) && existing == instanceId)
        {
            state.State.Instances.Remove(name);
            await state.WriteStateAsync();
        }
    }

    public Task<Guid?> FindInstance(string name) =>
        Task.FromResult(state.State.Instances.TryGetValue(name, out var id) ? id : (Guid?)null);

    public Task<ImmutableArray<Guid>> Instances() => Task.FromResult(state.State.Instances.Values.ToImmutableArray());
}
