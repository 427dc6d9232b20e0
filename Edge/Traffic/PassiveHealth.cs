using Yarp.ReverseProxy.Forwarder;

namespace Granary.Edge.Traffic;

/// <summary>
/// Passive health of one instance, from the outcomes of real requests. A refused connection or a connect timeout
/// ejects it at once (its port is closed or its host gone: the control plane will say so shortly); other transport
/// failures eject it once they make up too much of a window (<see cref="PassiveHealthPolicy"/>). An ejected
/// instance gets no traffic for <see cref="PassiveHealthPolicy.EjectionPeriod"/> unless every instance of the
/// app is ejected, when all are tried rather than none (YARP's HealthyOrPanic).
/// </summary>
public sealed class PassiveHealth
{
    private long _ejectedUntil;
    private long _windowStart;
    private int _requests;
    private int _failures;

    public bool IsEjected(long now) => now < Volatile.Read(ref _ejectedUntil);

    /// <summary>Records one attempt's outcome; true if it ejected the instance.</summary>
    public bool Report(AttemptOutcome outcome, long now, TimeProvider time)
    {
        if (outcome == AttemptOutcome.ClientFailure)
        {
            return false;
        }

        // Races between requests may lose a count around a window's turn: the policy only needs the trend.
        if (time.GetElapsedTime(Volatile.Read(ref _windowStart), now) > PassiveHealthPolicy.Window)
        {
            Volatile.Write(ref _windowStart, now);
            Volatile.Write(ref _requests, 0);
            Volatile.Write(ref _failures, 0);
        }

        var requests = Interlocked.Increment(ref _requests);
        var failures = outcome == AttemptOutcome.Success ? Volatile.Read(ref _failures) : Interlocked.Increment(ref _failures);
        if (!PassiveHealthPolicy.ShouldEject(outcome, requests, failures) || IsEjected(now))
        {
            return false;
        }

        Volatile.Write(ref _ejectedUntil, now + (long)(PassiveHealthPolicy.EjectionPeriod.TotalSeconds * time.TimestampFrequency));
        Volatile.Write(ref _requests, 0);
        Volatile.Write(ref _failures, 0);
        return true;
    }
}

public enum AttemptOutcome
{
    Success = 1,

    /// <summary>The instance's port refused the connection.</summary>
    Refused = 2,

    /// <summary>Any other failure to reach the instance or read its response.</summary>
    TransportFailure = 3,

    /// <summary>The client went away or stopped sending: says nothing about the instance, so not counted.</summary>
    ClientFailure = 4,

    /// <summary>The instance did not accept a connection within the connect timeout (its host is gone or frozen).</summary>
    ConnectTimeout = 5,
}

/// <summary>When an instance is ejected (pure).</summary>
public static class PassiveHealthPolicy
{
    /// <summary>Failure rates are counted over this window, and an ejection lasts as long.</summary>
    public static readonly TimeSpan Window = TimeSpan.FromSeconds(10);

    public static readonly TimeSpan EjectionPeriod = TimeSpan.FromSeconds(10);

    /// <summary>Fewer attempts than this say nothing about a rate (one failure out of one is not 100%).</summary>
    public const int MinimalRequests = 5;

    /// <summary>More than this share of failed attempts ejects (YARP's TransportFailureRate default).</summary>
    public const double MaxFailureRate = 0.3;

    public static AttemptOutcome Classify(ForwarderError error, Exception? exception) => error switch
    {
        ForwarderError.None => AttemptOutcome.Success,
        ForwarderError.RequestCanceled or ForwarderError.RequestBodyCanceled or ForwarderError.RequestBodyClient
            or ForwarderError.ResponseBodyCanceled or ForwarderError.ResponseBodyClient or ForwarderError.UpgradeRequestCanceled
            or ForwarderError.UpgradeRequestClient or ForwarderError.UpgradeResponseCanceled or ForwarderError.UpgradeResponseClient
            => AttemptOutcome.ClientFailure,
        _ when ProxyErrors.IsConnectionRefused(exception) => AttemptOutcome.Refused,
        ForwarderError.RequestTimedOut when ProxyErrors.IsConnectTimeout(exception) => AttemptOutcome.ConnectTimeout,
        _ => AttemptOutcome.TransportFailure,
    };

    public static bool ShouldEject(AttemptOutcome outcome, int requests, int failures) => outcome switch
    {
        AttemptOutcome.Refused or AttemptOutcome.ConnectTimeout => true,
        AttemptOutcome.TransportFailure => requests >= MinimalRequests && failures > requests * MaxFailureRate,
        _ => false,
    };
}
