using System.Diagnostics.Metrics;

namespace Granary.Edge.Traffic;

/// <summary>Per-app request metrics, meter <c>Granary.Edge</c>.</summary>
internal sealed class EdgeMetrics
{
    public const string MeterName = "Granary.Edge";

    private static readonly string[] StatusClasses = ["1xx", "2xx", "3xx", "4xx", "5xx"];
    private readonly Counter<long> _requests;
    private readonly Histogram<double> _duration;
    private readonly Counter<long> _retries;
    private readonly Counter<long> _ejections;

    public EdgeMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(MeterName);
        _requests = meter.CreateCounter<long>("granary.edge.requests", "{request}", "Requests through the edge, by app and status class");
        _duration = meter.CreateHistogram<double>("granary.edge.request.duration", "s", "Time from request to the end of the response, by app",
            tags: null,
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10] });

        _retries = meter.CreateCounter<long>("granary.edge.retries", "{attempt}", "Requests sent to another instance after one failed, by app");
        _ejections = meter.CreateCounter<long>("granary.edge.ejections", "{ejection}", "Instances taken out of rotation by passive health, by app and cause");
    }

    public bool Enabled => _requests.Enabled || _duration.Enabled;

    public void Record(string? app, int status, TimeSpan elapsed)
    {
        var appTag = new KeyValuePair<string, object?>("app", app ?? "(none)");
        _requests.Add(1, appTag, new KeyValuePair<string, object?>("status_class", StatusClass(status)));
        _duration.Record(elapsed.TotalSeconds, appTag);
    }

    public void Retried(string app) => _retries.Add(1, new KeyValuePair<string, object?>("app", app));

    public void Ejected(string app, AttemptOutcome cause) =>
        _ejections.Add(1, new KeyValuePair<string, object?>("app", app), new KeyValuePair<string, object?>("cause", cause switch
        {
            AttemptOutcome.Refused => "refused",
            AttemptOutcome.ConnectTimeout => "connect_timeout",
            _ => "failure_rate",
        }));

    private static string StatusClass(int status) => status is >= 100 and < 600 ? StatusClasses[(status / 100) - 1] : "other";
}
