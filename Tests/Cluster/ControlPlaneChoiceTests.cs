using System.Net;
using Granary.Cluster;
using Orleans.Runtime;

namespace Granary.Tests.Cluster;

public sealed class ControlPlaneChoiceTests
{
    private static readonly SiloAddress Core = Silo(1), Core2 = Silo(2), DeaOnly = Silo(3), DeaOnly2 = Silo(4);
    private static readonly HashSet<SiloAddress> Controllers = [Core, Core2];

    private static SiloAddress Silo(int n) => SiloAddress.New(new IPEndPoint(IPAddress.Loopback, 11110 + n), n);

    private static SiloAddress Choose(SiloAddress[] compatible, SiloAddress local, int seed = 1) =>
        ControlPlaneChoice.Choose(compatible, local, Controllers.Contains, new Random(seed));

    [Fact]
    public void A_controller_keeps_the_activation_it_asked_for() =>
        Assert.Equal(Core2, Choose([Core, Core2, DeaOnly], Core2));

    [Fact]
    public void A_dea_only_silo_sends_activations_to_a_controller()
    {
        for (var seed = 0; seed < 50; seed++)
        {
            Assert.Contains(Choose([DeaOnly, Core, DeaOnly2, Core2], DeaOnly, seed), Controllers);
        }
    }

    [Fact]
    public void Both_controllers_get_activations_from_dea_silos() =>
        Assert.Equal(2, Enumerable.Range(0, 50).Select(seed => Choose([DeaOnly, Core, Core2], DeaOnly, seed)).Distinct().Count());

    [Fact]
    public void Without_any_controller_the_cluster_keeps_working_locally() =>
        Assert.Equal(DeaOnly2, Choose([DeaOnly, DeaOnly2], DeaOnly2));

    [Fact]
    public void Without_any_controller_a_client_call_lands_on_some_silo() =>
        Assert.Contains(Choose([DeaOnly, DeaOnly2], Silo(9)), new[] { DeaOnly, DeaOnly2 });

    [Fact]
    public void No_compatible_silo_is_a_clear_error() =>
        Assert.Contains("no silo", Assert.Throws<NodeUnavailableException>(() => Choose([], Core)).Message);
}
