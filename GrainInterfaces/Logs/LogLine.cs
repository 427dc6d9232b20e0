namespace Granary.Logs;

public enum LogStream
{
    Out = 1,
    Err = 2,
}

/// <summary>One line of an app's log. Source is "STG" for staging, "APP/INDEX" for an instance, "API" for the controller.</summary>
[GenerateSerializer, Immutable, Alias("granary.log-line")]
public sealed record LogLine(
    [property: Id(0)] long Seq,
    [property: Id(1)] DateTimeOffset Time,
    [property: Id(2)] string Source,
    [property: Id(3)] LogStream Stream,
    [property: Id(4)] string Text);
