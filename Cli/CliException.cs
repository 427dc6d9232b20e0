namespace Granary.Cli;

/// <summary>A failure the user can act on: printed as one <c>error: …</c> line, exit code 1.</summary>
internal class CliException(string message, int exitCode = 1) : Exception(message)
{
    public int ExitCode { get; } = exitCode;
}

/// <summary>The command line itself is wrong: exit code 2, like a parse error.</summary>
internal sealed class UsageException(string message) : CliException(message, 2);
