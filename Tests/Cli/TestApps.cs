using Granary.Cli.Api;

namespace Granary.Tests.Cli;

/// <summary>Apps and instances as the API would describe them.</summary>
internal static class TestApps
{
    public static App App(string name, int instances = 1, int memoryMb = 256, Dictionary<string, string>? env = null,
        string state = AppStates.Started, List<Instance>? details = null, int running = 0) =>
        new("id-" + name, name, "default", state, instances, memoryMb, env ?? [], null, null, 1, null, null,
            running, details ?? [], [$"http://{name}.localhost:7780"], null, null);

    public static Instance Instance(int index, string state, string id, DateTimeOffset since, string? droplet = null, int? exit = null) =>
        new(index, id, state, "micro", "127.0.0.1", 40000 + index, since, 0, exit, null, droplet);
}
