using System.Text;

namespace Granary.Cli.Output;

/// <summary>Plain aligned columns: easy on the eye, easy to grep, never wrapped.</summary>
internal static class TextTable
{
    public static string Render(IReadOnlyList<string> headers, IEnumerable<IReadOnlyList<string>> rows)
    {
        var all = new List<IReadOnlyList<string>> { headers };
        all.AddRange(rows);
        var widths = new int[headers.Count];
        foreach (var row in all)
        {
            for (var i = 0; i < widths.Length; i++)
                widths[i] = Math.Max(widths[i], Cell(row, i).Length);
        }
        var sb = new StringBuilder();
        foreach (var row in all)
        {
            var line = new StringBuilder();
            for (var i = 0; i < widths.Length; i++)
            {
                var cell = Cell(row, i);
                line.Append(i == widths.Length - 1 ? cell : cell.PadRight(widths[i] + 2));
            }
            sb.Append(line.ToString().TrimEnd()).Append('\n');
        }
        return sb.ToString();
    }

    public static void Write(CliConsole console, IReadOnlyList<string> headers, IEnumerable<IReadOnlyList<string>> rows) =>
        console.Out.Write(Render(headers, rows));

    private static string Cell(IReadOnlyList<string> row, int i) => i < row.Count ? row[i] ?? "" : "";
}
