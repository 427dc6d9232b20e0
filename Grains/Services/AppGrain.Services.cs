using System.Collections.Immutable;
using Granary.Services;

namespace Granary.Apps;

// The app grain's two touch points with data services, kept beside the services code so that
// Grains/Apps changes by one line (the environment of a starting instance).
public sealed partial class AppGrain
{
    public async Task RecordServiceEvent(string type, string message, ImmutableDictionary<string, string> data)
    {
        if (state.State.App is null)
            return;
        AddEvent(type, message, [.. data.Select(kv => (kv.Key, (object)kv.Value))]);
        await state.WriteStateAsync();
    }

    /// <summary>
    /// The user's env over the bindings' variables (GRANARY_SERVICES, DATABASE_URL), read when an instance
    /// starts: as in Cloud Foundry, a bind or unbind reaches instances when they are restarted.
    /// </summary>
    private async Task<ImmutableDictionary<string, string>> EnvironmentWithServicesAsync(ImmutableDictionary<string, string> userEnv)
    {
        var services = await GrainFactory.GetGrain<IAppBindingsGrain>(Id).Environment();
        return services.Count == 0 ? userEnv : services.SetItems(userEnv);
    }
}
