using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Granary.Brokers.Postgres.Hosting;

/// <summary>
/// The broker's meter and activity source. Tags carry ids and outcomes, never credentials.
/// </summary>
public static class BrokerTelemetry
{
    public const string Name = "Granary.PostgresBroker";

    public static readonly ActivitySource Source = new(Name);
    private static readonly Meter Meter = new(Name);

    private static readonly Counter<long> Operations = Meter.CreateCounter<long>(
        "granary.broker.operations", description: "Provisions, deprovisions, binds and unbinds by outcome.");

    private static readonly Histogram<double> Duration = Meter.CreateHistogram<double>(
        "granary.broker.operation.duration", unit: "s", description: "How long the database work of an operation took.");

    public static void Record(string kind, string outcome, TimeSpan elapsed)
    {
        var tags = new TagList { { "kind", kind }, { "outcome", outcome } };
        Operations.Add(1, tags);
        Duration.Record(elapsed.TotalSeconds, tags);
    }
}
