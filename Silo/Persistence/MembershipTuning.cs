using Orleans.Configuration;

namespace Granary.Silo.Persistence;

/// <summary>
/// How fast a silo that stopped answering is declared dead (<c>Granary:Membership</c>). The defaults are the
/// fast row of shared/ORLEANS10.md, measured with ADO.NET membership on PostgreSQL: a crashed silo is dead in
/// about 1 s and a frozen one in about 9 s, against 12 s and a minute with Orleans' defaults, so its instances
/// move that much sooner. The price: more probe traffic, and a silo that stalls for more than about two probe
/// timeouts (a long GC pause, a starved VM) is voted dead and must restart. On slow or overloaded machines
/// raise ProbeTimeout and NumMissedProbesLimit.
/// </summary>
public sealed class MembershipTuning
{
    public TimeSpan ProbeTimeout { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The floor under Orleans' adaptive probe timeout; the measured setting pairs 0.5 s with a 1 s ProbeTimeout.</summary>
    public TimeSpan MinProbeTimeout { get; set; } = TimeSpan.FromMilliseconds(500);

    public int NumMissedProbesLimit { get; set; } = 2;

    /// <summary>How often each silo re-reads the membership table (a database query per silo per period).</summary>
    public TimeSpan TableRefreshTimeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>How often each silo writes its IAmAlive time (a database write per silo per period).</summary>
    public TimeSpan IAmAliveTablePublishTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Silos that must suspect one before it is declared dead. Orleans' 2 cannot be met in a two-silo cluster
    /// until the dead silo's IAmAlive row goes stale; 1 lets any one silo that cannot reach another evict it.
    /// </summary>
    public int NumVotesForDeathDeclaration { get; set; } = 2;

    /// <summary>
    /// How long Orleans' directory refuses new registrations in the ranges a crashed silo owned, counted from the
    /// silo's estimated failure time (Orleans' default is 30 s). The hold is there in case the silo is only cut
    /// off and still runs activations; such a silo reads its own death at its next table refresh and stops.
    /// Granary's grain state is written with ETags, so a stale activation cannot overwrite newer state.
    /// Measured with the other defaults here: Orleans dates the failure about 8 s before the declaration, so 10 s
    /// holds the ranges for about 2 s after it, one table refresh; at 30 s, replacements for a killed node's
    /// instances waited 20 s.
    /// </summary>
    public TimeSpan DirectoryLeaseDuration { get; set; } = TimeSpan.FromSeconds(10);

    public static MembershipTuning From(IConfiguration configuration) =>
        configuration.GetSection("Granary:Membership").Get<MembershipTuning>() ?? new MembershipTuning();

    public void ApplyTo(ClusterMembershipOptions options)
    {
        options.ProbeTimeout = ProbeTimeout;
        options.MinProbeTimeout = MinProbeTimeout;
        options.NumMissedProbesLimit = NumMissedProbesLimit;
        options.TableRefreshTimeout = TableRefreshTimeout;
        options.IAmAliveTablePublishTimeout = IAmAliveTablePublishTimeout;
        options.NumVotesForDeathDeclaration = NumVotesForDeathDeclaration;
    }

    public void ApplyTo(GrainDirectoryOptions options) => options.RangeLeaseDuration = DirectoryLeaseDuration;
}
