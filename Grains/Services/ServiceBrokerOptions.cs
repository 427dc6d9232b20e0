namespace Granary.Services;

/// <summary>How the platform talks to brokers. Bound from the "Granary:Services" configuration section.</summary>
public sealed class ServiceBrokerOptions
{
    public const string Section = "Granary:Services";

    /// <summary>
    /// How long one request to a broker may take. CF waits 60 s; this stays under Orleans' 30 s grain-call
    /// timeout so the user gets the broker's failure, not the control plane's.
    /// </summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>How often last_operation is polled (a broker's Retry-After is not yet honoured).</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Polling stops and the operation counts as failed after this long, unless the plan sets maximum_polling_duration.</summary>
    public TimeSpan MaximumPollingDuration { get; set; } = TimeSpan.FromHours(1);

    /// <summary>First wait before an orphan-mitigation request is sent again; it doubles up to 5 minutes.</summary>
    public TimeSpan OrphanRetryInterval { get; set; } = TimeSpan.FromSeconds(5);
}
