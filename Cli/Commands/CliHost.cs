using Granary.Cli.Output;

namespace Granary.Cli.Commands;

/// <summary>The outside world a command sees; tests swap every part of it.</summary>
internal sealed record CliHost(CliConsole Console, Func<string, string?> Env, string WorkingDirectory)
{
    public static CliHost FromSystem() =>
        new(CliConsole.FromSystem(), Environment.GetEnvironmentVariable, Environment.CurrentDirectory);
}
