using Spectre.Console;

namespace Granary.Cli.Output;

/// <summary>Where a command writes, and whether a person is watching (colours, spinners, prompts).</summary>
internal sealed class CliConsole(TextWriter output, TextWriter error, TextReader input, bool outputIsTerminal, bool inputIsTerminal, bool? colors = null)
{
    private readonly bool _colors = colors ?? outputIsTerminal;
    private IAnsiConsole? _ansi;
    private AnsiWriter? _alerts;

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
        // AnsiWriter styles without laying out, so long log lines are never re-wrapped.
        _alerts ??= new AnsiWriter(Out, AnsiCapabilities.Create(Out,
            new AnsiWriterSettings { Ansi = AnsiSupport.Yes, ColorSystem = ColorSystemSupport.Standard }));
        _alerts.WriteLine(text, new Style(Color.Red), null);
    }

    private IAnsiConsole CreateAnsi() =>
        AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(Out),
            ColorSystem = _colors ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
        });
}
