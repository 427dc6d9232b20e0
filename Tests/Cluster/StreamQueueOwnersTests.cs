using System.Net;
using Granary.Cluster;
using Orleans.Runtime;
using Orleans.Streams;

namespace Granary.Tests.Cluster;

public sealed class StreamQueueOwnersTests
{
    private static readonly SiloAddress Core = Silo(1), Core2 = Silo(2), DeaOnly = Silo(3), DeaOnly2 = Silo(4);
    private static readonly HashSet<SiloAddress> Controllers = [Core, Core2];
    private static readonly QueueId[] Queues = [.. Enumerable.Range(0, 8).Select(i => QueueId.GetQueueId("streams", (uint)i, (uint)i << 29))];

    private static SiloAddress Silo(int n) => SiloAddress.New(new IPEndPoint(IPAddress.Loopback, 11110 + n), n);

    private static IReadOnlyList<QueueId> Of(SiloAddress self, params SiloAddress[] active) =>
        StreamQueueOwners.Of(self, Queues, active, Controllers.Contains);

    [Fact]
    public void A_dea_only_silo_pulls_no_queue_while_a_controller_is_active()
    {
        Assert.Empty(Of(DeaOnly, Core, DeaOnly, DeaOnly2));
        Assert.Equal(Queues.Length, Of(Core, Core, DeaOnly, DeaOnly2).Count);
    }

    [Fact]
    public void A_dea_node_joining_or_leaving_moves_no_queue()
    {
        var alone = Of(Core, Core);
        Assert.Equal(alone, Of(Core, Core, DeaOnly));
        Assert.Equal(alone, Of(Core, Core, DeaOnly, DeaOnly2));
    }

    [Fact]
    public void Controllers_split_the_queues_so_each_is_pulled_exactly_once()
    {
        SiloAddress[] active = [DeaOnly, Core2, Core, DeaOnly2];
        var pulled = active.SelectMany(silo => Of(silo, active)).ToList();

        Assert.Equal(Queues.Order(), pulled.Order());
        Assert.Equal(4, Of(Core, active).Count);
        Assert.Equal(4, Of(Core2, active).Count);
    }

    [Fact]
    public void Without_an_active_controller_every_silo_shares_the_queues()
    {
        SiloAddress[] active = [DeaOnly, DeaOnly2];
        var pulled = active.SelectMany(silo => Of(silo, active)).ToList();

        Assert.Equal(Queues.Order(), pulled.Order());
        Assert.NotEmpty(Of(DeaOnly, active));
    }

    [Fact]
    public void A_silo_that_is_not_active_pulls_nothing() =>
        Assert.Empty(Of(Core2, Core, DeaOnly));
}
