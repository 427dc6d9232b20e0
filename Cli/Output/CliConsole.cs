using Spectre.Console;

namespace Granary.Cli.Output;

/// <summary>Where a command writes, and whether a person is watching (colours, spinners, prompts).</summary>
internal sealed class CliConsole(TextWriter output, TextWriter error, TextReader input, bool outputIsTerminal, bool inputIsTerminal, bool? colors = null)
{
    private readonly bool _colors = colors ?? outputIsTerminal;
    private IAnsiConsole? _ansi;

    public static CliConsole FromSystem() =>
        new(Console.Out, Console.Error, Console.In, !Console.IsOutputRedirected, !Console.IsInputRedirected,
            colors: !Console.IsOutputRedirected && string.IsNullOrEmpty(Environment.GetEnvironmentVariable("NO_COLOR")));

    public TextWriter Out { get; } = output;

    public TextWriter Err { get; } = error;

    public TextReader In { get; } = input;

    public bool OutputIsTerminal { get; } = outputIsTerminal;

    public bool InputIsTerminal { get; } = inputIsTerminal;

    /// <summary>Spectre, only built when a person is watching: plain text is cheaper and script-friendly.</summary>
    public IAnsiConsole Ansi => _ansi ??= CreateAnsi();

    public void Line(string text = "") => Out.WriteLine(text);

    public void Error(string message) => Err.WriteLine("error: " + message);

    /// <summary>A line in red on a terminal (stderr of an app, a crash), plain otherwise.</summary>
    public void Alert(string text)
    {
        if (!_colors)
        {
            Out.WriteLine(text);
            return;
        }
        Ansi.Write(new Text(text, new Style(Color.Red)));
        Ansi.WriteLine();
    }

    private IAnsiConsole CreateAnsi()
    {
        // Only built for a terminal, so say so: Spectre's own detection guesses from TERM, which may be unset.
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(Out),
            Ansi = AnsiSupport.Yes,
            ColorSystem = _colors ? ColorSystemSupport.Standard : ColorSystemSupport.NoColors,
        });
        // Log lines must never be hard-wrapped by the renderer; the terminal wraps them itself.
        console.Profile.Width = 100_000;
        return console;
    }
}
