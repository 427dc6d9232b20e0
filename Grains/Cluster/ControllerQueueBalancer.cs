using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Orleans.Runtime;
using Orleans.Runtime.MembershipService.SiloMetadata;
using Orleans.Streams;

namespace Granary.Cluster;

/// <summary>
/// Gives the pulling of stream queues (heartbeats, instance exits) to controller silos only. Orleans' default
/// spreads queues over every silo: a DEA node that joined took 7 of the 8, and when it hung (SIGSTOP) every
/// node's heartbeats, the healthy ones' too, sat undelivered in its queues. The health manager then found the
/// live micro node silent, replaced its instances and tried to fence it, and noticed the hung node only when
/// membership declared it dead (11 s instead of 4). A DEA node's failure must take only its own processes.
/// </summary>
public sealed partial class ControllerQueueBalancer : QueueBalancerBase
{
    /// <summary>
    /// Roles of a silo that just joined reach the metadata cache a little after membership says it is active;
    /// until then each silo's view may differ, so the split is recomputed on this period too, not only on joins.
    /// </summary>
    private static readonly TimeSpan RecheckPeriod = TimeSpan.FromSeconds(2);

    private readonly ISiloMetadataCache _metadata;
    private readonly Lock _lock = new();
    private IReadOnlyList<QueueId> _allQueues = [];
    private HashSet<SiloAddress> _active = [];
    private IReadOnlyList<QueueId> _mine = [];

    public ControllerQueueBalancer(IServiceProvider services, ISiloMetadataCache metadata, ILogger<ControllerQueueBalancer> logger)
        : base(services, logger)
    {
        _metadata = metadata;
    }

    public static IStreamQueueBalancer Create(IServiceProvider services, string name) =>
        ActivatorUtilities.CreateInstance<ControllerQueueBalancer>(services);

    public override IEnumerable<QueueId> GetMyQueues()
    {
        lock (_lock)
        {
            return _mine;
        }
    }

    public override async Task Initialize(IStreamQueueMapper queueMapper)
    {
        lock (_lock)
        {
            _allQueues = [.. queueMapper.GetAllQueues()];
        }

        await base.Initialize(queueMapper);
        _ = RecheckAsync();
    }

    protected override void OnClusterMembershipChange(HashSet<SiloAddress> activeSilos)
    {
        lock (_lock)
        {
            _active = activeSilos;
        }

        _ = RecomputeAsync();
    }

    private async Task RecheckAsync()
    {
        using var timer = new PeriodicTimer(RecheckPeriod);
        try
        {
            while (await timer.WaitForNextTickAsync(Cancellation))
            {
                await RecomputeAsync();
            }
        }
        catch (OperationCanceledException)
        {
            // Shutting down.
        }
    }

    private async Task RecomputeAsync()
    {
        try
        {
            IReadOnlyList<QueueId> mine;
            lock (_lock)
            {
                mine = StreamQueueOwners.Of(SiloAddress, _allQueues, _active, IsController);
                if (mine.SequenceEqual(_mine))
                {
                    return;
                }

                Health.HealthTelemetry.StreamQueues.Add(mine.Count - _mine.Count);
                _mine = mine;
            }

            LogQueues(Logger, string.Join(", ", mine), mine.Count);
            await NotifyListeners();
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogRecomputeFailed(Logger, e);
        }
    }

    private bool IsController(SiloAddress silo) =>
        _metadata.HasRole(silo, SiloRoles.Controller);

    [LoggerMessage(Level = LogLevel.Information, Message = "Stream queues this silo pulls ({Count}): {Queues}")]
    private static partial void LogQueues(ILogger logger, string queues, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not recompute this silo's stream queues; keeping the last ones")]
    private static partial void LogRecomputeFailed(ILogger logger, Exception exception);
}
