using System.CommandLine;
using Granary.Cli.Config;

namespace Granary.Cli.Commands;

/// <summary>Runs a command's body and turns every failure into one <c>error:</c> line and an exit code.</summary>
internal static class CommandRunner
{
    public static void SetAction(this Command command, CliHost host, Func<ParseResult, CommandContext, CancellationToken, Task<int>> body) =>
        command.SetAction((parse, ct) => RunAsync(host, parse, ct, body));

    public static async Task<int> RunAsync(CliHost host, ParseResult parse, CancellationToken ct,
        Func<ParseResult, CommandContext, CancellationToken, Task<int>> body)
    {
        try
        {
            var home = ConfigStore.ResolveHome(parse.GetValue<string?>(GlobalOptions.HomeName), host.Env);
            using var context = new CommandContext(host, home);
            return await body(parse, context, ct);
        }
        catch (CliException e)
        {
            host.Console.Error(e.Message);
            return e.ExitCode;
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            return 130;
        }
        catch (IOException e)
        {
            host.Console.Error(e.Message);
            return 1;
        }
        catch (UnauthorizedAccessException e)
        {
            host.Console.Error(e.Message);
            return 1;
        }
    }
}
