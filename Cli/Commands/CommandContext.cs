using Granary.Cli.Api;
using Granary.Cli.Config;
using Granary.Cli.Output;

namespace Granary.Cli.Commands;

/// <summary>One invocation: its home, its config and (built on first use) its API client.</summary>
internal sealed class CommandContext(CliHost host, string home) : IDisposable
{
    private CliConfig? _config;
    private GranaryApiClient? _client;

    public CliHost Host { get; } = host;

    public CliConsole Console => Host.Console;

    public ConfigStore Store { get; } = new(home);

    public CliConfig Config => _config ??= Store.LoadEffective(Host.Env);

    public GranaryApiClient Api => _client ??= CreateClient();

    private GranaryApiClient CreateClient()
    {
        var api = Config.Api ?? CliConfig.DefaultApi;
        var client = new GranaryApiClient(api, Config.Token) { Space = Config.SpaceId };
        if (Config.RefreshToken is not null)
            client.RenewWith(new SessionRenewal(Store, api, Config));
        return client;
    }

    public void Dispose() => _client?.Dispose();
}
