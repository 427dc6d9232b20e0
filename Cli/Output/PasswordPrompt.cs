using System.Text;

namespace Granary.Cli.Output;

/// <summary>
/// Asks for a password without echoing it on a terminal; from a pipe or file it reads one line, so scripts can
/// pass a password on standard input instead of on the command line (where the process list shows it).
/// </summary>
internal static class PasswordPrompt
{
    public static string Read(CliConsole console, string prompt)
    {
        if (!console.InputIsTerminal)
        {
            return console.In.ReadLine()
                ?? throw new UsageException("no password: type it on standard input or pass --password");
        }

        console.Err.Write(prompt);
        var typed = new StringBuilder();
        while (true)
        {
            var key = Console.ReadKey(intercept: true);
            if (key.Key == ConsoleKey.Enter)
                break;
            if (key.Key == ConsoleKey.Backspace)
            {
                if (typed.Length > 0)
                    typed.Length--;
                continue;
            }

            if (!char.IsControl(key.KeyChar))
                typed.Append(key.KeyChar);
        }

        console.Err.WriteLine();
        return typed.ToString();
    }

    /// <summary>A new password, typed twice on a terminal so a typo cannot lock its owner out.</summary>
    public static string ReadNew(CliConsole console, string prompt)
    {
        var first = Read(console, prompt);
        if (console.InputIsTerminal && Read(console, "Again: ") != first)
            throw new CliException("the two passwords differ; nothing was changed");
        return first;
    }
}
