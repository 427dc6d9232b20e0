using System.Globalization;
using Granary.Cli.Api;
using Granary.Cli.Push;

namespace Granary.Cli.Output;

/// <summary>How values look on screen.</summary>
internal static class Formats
{
    /// <summary><c>HH:mm:ss.fff [APP/0] text</c>, in local time.</summary>
    public static string LogLine(LogLine line, TimeZoneInfo? zone = null)
    {
        var local = TimeZoneInfo.ConvertTime(line.Time, zone ?? TimeZoneInfo.Local);
        return $"{local.ToString("HH:mm:ss.fff", CultureInfo.InvariantCulture)} [{line.Source}] {line.Text}";
    }

    public static bool IsErr(LogLine line) => string.Equals(line.Stream, "ERR", StringComparison.OrdinalIgnoreCase);

    public static string Time(DateTimeOffset? time, TimeZoneInfo? zone = null) =>
        time is { } t ? TimeZoneInfo.ConvertTime(t, zone ?? TimeZoneInfo.Local).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) : "-";

    public static string Memory(int mb) => MemorySize.Format(mb);

    public static string Endpoint(Instance i) =>
        i.Host is null && i.Port is null ? "-" : $"{i.Host ?? "?"}:{i.Port?.ToString(CultureInfo.InvariantCulture) ?? "?"}";

    public static string Urls(App app) => app.Urls is { Count: > 0 } urls ? string.Join(", ", urls) : "-";

    public static string Routes(App app) => app.Routes is { Count: > 0 } routes ? string.Join(", ", routes) : "-";

    /// <summary><c>ROUND_ROBIN</c> as the CLI's flags spell it: <c>round-robin</c>.</summary>
    public static string LoadBalancing(string? wire) =>
        string.IsNullOrEmpty(wire) ? "-" : wire.ToLowerInvariant().Replace('_', '-');

    public static string OnOff(bool? value) => value switch { true => "on", false => "off", null => "-" };

    public static string Running(App app) =>
        string.Create(CultureInfo.InvariantCulture, $"{app.RunningInstances}/{app.Instances}");

    public static void Instances(CliConsole console, IEnumerable<Instance> instances) =>
        TextTable.Write(console, ["#", "state", "host:port", "since", "restarts", "message"],
            instances.OrderBy(i => i.Index).Select(i => (IReadOnlyList<string>)
            [
                i.Index.ToString(CultureInfo.InvariantCulture),
                State(i),
                Endpoint(i),
                Time(i.Since),
                i.Restarts.ToString(CultureInfo.InvariantCulture),
                i.Message ?? "",
            ]));

    /// <summary>FLAPPING for a crash-looping instance, with when it is tried again.</summary>
    public static string State(Instance i) =>
        i.Flapping ? $"{InstanceStates.Flapping} (crash {i.CrashesInARow}, next try {Time(i.NextRestartAt)})" : i.State;

    public static void WriteLog(CliConsole console, LogLine line)
    {
        var text = LogLine(line);
        if (IsErr(line))
            console.Alert(text);
        else
            console.Line(text);
    }
}
