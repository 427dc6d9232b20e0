using System.Reflection;

namespace Granary.Cli;

internal static class CliVersion
{
    public static string Value { get; } =
        typeof(CliVersion).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0]
        ?? "0.0.0";
}
