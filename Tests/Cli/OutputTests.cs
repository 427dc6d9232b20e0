using Granary.Cli.Api;
using Granary.Cli.Output;

namespace Granary.Tests.Cli;

public class OutputTests
{
    [Fact]
    public void Render_Rows_AlignsColumnsWithoutTrailingSpaces()
    {
        var text = TextTable.Render(["name", "state"], [["web", "STARTED"], ["worker-long", "STOPPED"]]);

        Assert.Equal("name         state\nweb          STARTED\nworker-long  STOPPED\n", text);
    }

    [Fact]
    public void Render_MissingCells_AreBlank()
    {
        var text = TextTable.Render(["a", "b", "c"], [["1"]]);

        Assert.Equal("a  b  c\n1\n", text);
    }

    [Fact]
    public void LogLine_Format_IsTimeSourceText()
    {
        var line = new LogLine(1, new DateTimeOffset(2025, 1, 1, 12, 30, 45, 67, TimeSpan.Zero), "APP/0", "OUT", "hello");

        Assert.Equal("12:30:45.067 [APP/0] hello", Formats.LogLine(line, TimeZoneInfo.Utc));
    }

    [Fact]
    public void WriteLog_ErrLineWithoutTerminal_IsPlainText()
    {
        var output = new StringWriter();
        var console = new CliConsole(output, new StringWriter(), new StringReader(""), false, false);

        Formats.WriteLog(console, new LogLine(1, DateTimeOffset.UnixEpoch, "APP/1", "ERR", "boom"));

        Assert.DoesNotContain("\u001b", output.ToString());
        Assert.EndsWith("[APP/1] boom\n", output.ToString().Replace("\r\n", "\n"));
    }

    [Fact]
    public void WriteLog_ErrLineOnTerminal_IsRed()
    {
        var output = new StringWriter();
        var console = new CliConsole(output, new StringWriter(), new StringReader(""), true, false);

        Formats.WriteLog(console, new LogLine(1, DateTimeOffset.UnixEpoch, "APP/1", "ERR", "boom [x]"));

        Assert.Contains("\u001b[", output.ToString());
        Assert.Contains("boom [x]", output.ToString());
    }
}
