using System.Collections.Immutable;
using Granary.Apps;
using Granary.Instances;

namespace Granary.Tests.Health;

/// <summary>Creating apps on a test cluster and waiting for what a user would see.</summary>
internal static class ClusterWaits
{
    public static async Task<Guid> PushAsync(IGrainFactory grains, string prefix, int instances)
    {
        var spec = new AppSpec($"{prefix}-{Guid.NewGuid():N}"[..20], instances, 256, ImmutableDictionary<string, string>.Empty, null,
            HealthCheckSpec.Default, AppState.Started);
        var app = await grains.GetGrain<ISpaceGrain>("default").CreateApp(spec);
        await grains.GetGrain<IAppGrain>(app.Id).StartBuild("pkg-" + prefix);
        await UntilAsync(grains, app.Id, all => all.Length == instances && all.All(i => i.State == InstanceState.Running));
        return app.Id;
    }

    public static async Task<ImmutableArray<InstanceInfo>> UntilAsync(
        IGrainFactory grains, Guid appId, Func<ImmutableArray<InstanceInfo>, bool> condition, int seconds = 30)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        var instances = ImmutableArray<InstanceInfo>.Empty;
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                instances = await grains.GetGrain<IAppGrain>(appId).GetInstances();
                if (condition(instances))
                {
                    return instances;
                }
            }
            catch (Exception e) when (e is TimeoutException or SiloUnavailableException or OrleansMessageRejectionException)
            {
                // a silo just died: ask again
            }

            await Task.Delay(100);
        }

        throw new Xunit.Sdk.XunitException(
            $"condition not met in {seconds} s; instances: {string.Join(", ", instances.Select(i => $"{i.Index}:{i.State}@{i.NodeId}"))}");
    }
}
