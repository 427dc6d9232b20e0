namespace Granary.Silo.Staging;

/// <summary>A static site: index.html at the root, served by Granary's stdlib file server.</summary>
internal static class StaticRules
{
    public const string Framework = "static";
    public const string IndexFile = "index.html";
    public const string Server = "static_server.py";

    public static readonly LanguageMatch Match =
        new(Framework, [], $"python3 .granary/{Server}", null) { SupportFiles = [Server] };
}
