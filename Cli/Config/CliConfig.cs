namespace Granary.Cli.Config;

/// <summary>The contents of <c>config.json</c> in the Granary home.</summary>
internal sealed record CliConfig(string? Api = null, string? Token = null, string? Edge = null)
{
    public const string DefaultApi = "http://127.0.0.1:7700";
}
