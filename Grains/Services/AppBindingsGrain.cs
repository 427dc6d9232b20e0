using System.Collections.Immutable;

namespace Granary.Services;

[GenerateSerializer, Alias("granary.app-bindings-state")]
public sealed class AppBindingsState
{
    /// <summary>Holds credentials: this grain's state is as secret as the broker's answers.</summary>
    [Id(0)] public List<ServiceBinding> Bindings { get; set; } = [];
}

public sealed class AppBindingsGrain(
    [PersistentState("app-bindings", GrainStorage.Name)] IPersistentState<AppBindingsState> state) : Grain, IAppBindingsGrain
{
    public async Task Add(ServiceBinding binding)
    {
        state.State.Bindings.RemoveAll(b => b.InstanceId == binding.InstanceId);
        state.State.Bindings.Add(binding);
        await state.WriteStateAsync();
    }

    public async Task Remove(Guid instanceId)
    {
        if (state.State.Bindings.RemoveAll(b => b.InstanceId == instanceId) > 0)
            await state.WriteStateAsync();
    }

    public Task<ImmutableArray<ServiceBinding>> List() => Task.FromResult(state.State.Bindings.ToImmutableArray());

    public Task<ImmutableDictionary<string, string>> Environment() => Task.FromResult(ServiceEnvironment.Build(state.State.Bindings));
}
