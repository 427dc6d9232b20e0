using Granary.Cli.Node;

namespace Granary.Tests.Node;

public sealed class NodePlanTests
{
    private static readonly NodePaths Paths = new("/srv/granary");
    private static readonly NodePrograms Programs = new("/usr/bin/dotnet", "/opt/silo/Granary.Silo.dll", "/opt/edge/Granary.Edge.dll");

    private static NodeConfig Config(params string[] roles) => new("dea1", roles, "granary-abcd", "10.0.0.6", "apps.example.com",
        NodePorts.Defaults, "Host=10.0.0.5;Password=hunter2", "token-0123456789abcdef", "http://10.0.0.5:7700", false, "0.1.0");

    [Fact]
    public void For_DeaNode_RunsOnlyASiloWithItsRolesAndAddresses()
    {
        var plan = NodeProcessPlan.For(Config("dea"), Paths, Programs);
        var silo = Assert.Single(plan);
        Assert.Equal("silo", silo.Name);
        Assert.Contains("--Granary:Roles=dea", silo.Arguments);
        Assert.Contains("--Orleans:AdvertisedIP=10.0.0.6", silo.Arguments);
        Assert.Contains("--Granary:Dea:AdvertiseHost=10.0.0.6", silo.Arguments);
        Assert.Contains("--Orleans:ClusterId=granary-abcd", silo.Arguments);
    }

    [Fact]
    public void For_RouterNode_AddsAnEdgeOnTheEdgePort()
    {
        var plan = NodeProcessPlan.For(Config("router", "dea"), Paths, Programs);
        var edge = plan.Single(p => p.Name == "edge");
        Assert.Contains("http://0.0.0.0:7780", edge.Arguments);
        Assert.Contains("--Granary:Domain=apps.example.com", edge.Arguments);
    }

    [Fact]
    public void For_AnyNode_SecretsGoByEnvironmentNeverOnTheCommandLine()
    {
        foreach (var process in NodeProcessPlan.For(Config("router", "controller"), Paths, Programs))
        {
            Assert.DoesNotContain(process.Arguments, a => a.Contains("hunter2", StringComparison.Ordinal) || a.Contains("token-", StringComparison.Ordinal));
            Assert.Equal("Host=10.0.0.5;Password=hunter2", process.Environment["GRANARY_DATABASE"]);
        }
    }

    [Fact]
    public void Render_RouterNode_OneUnitPerProcessReadingTheEnvironmentFile()
    {
        var config = Config("router", "dea");
        var units = SystemdUnits.Render(config, Paths, NodeProcessPlan.For(config, Paths, Programs));
        Assert.Contains("# /etc/systemd/system/granary-silo.service", units);
        Assert.Contains("# /etc/systemd/system/granary-edge.service", units);
        Assert.Contains($"EnvironmentFile={Paths.EnvironmentFile}", units);
        Assert.Contains("Restart=always", units);
        Assert.DoesNotContain("hunter2", units);
    }

    [Fact]
    public void Render_RouterNode_EdgeRuntimeSettingsGoToTheEdgeUnitOnly()
    {
        var config = Config("router", "dea");
        var plan = NodeProcessPlan.For(config, Paths, Programs);
        var units = SystemdUnits.Render(config, Paths, plan);
        var edgeUnit = units[units.IndexOf("granary-edge.service\n", StringComparison.Ordinal)..];
        Assert.Contains("Environment=DOTNET_GCgen0size=0x4000000", edgeUnit);
        Assert.Equal(1, units.Split("DOTNET_GCgen0size").Length - 1);
        Assert.Equal("0x4000000", plan.Single(p => p.Name == "edge").FullEnvironment["DOTNET_GCgen0size"]);
        Assert.False(plan.Single(p => p.Name == "silo").FullEnvironment.ContainsKey("DOTNET_GCgen0size"));
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(2, 2)]
    [InlineData(4, 8)]
    [InlineData(20, 30)]
    public void Delay_ExitsInARow_DoublesUpToTheCap(int exits, int seconds) =>
        Assert.Equal(TimeSpan.FromSeconds(seconds), RestartBackoff.Delay(exits));

    [Fact]
    public void NextStreak_AfterAHealthyRun_StartsOver() =>
        Assert.Equal(1, RestartBackoff.NextStreak(5, TimeSpan.FromMinutes(2)));

    [Theory]
    [InlineData("10.0.0.5", "http://10.0.0.5:7700")]
    [InlineData("10.0.0.5:7701", "http://10.0.0.5:7701")]
    [InlineData("https://core.example.com/", "https://core.example.com")]
    public void CoreApiUrl_AddressForms_BecomeTheApiUrl(string address, string url) =>
        Assert.Equal(url, NodeSetup.CoreApiUrl(address));

    [Fact]
    public void VersionMismatch_DifferentVersions_SaysWhichToInstall()
    {
        Assert.Null(NodeSetup.VersionMismatch("0.1.0", "0.1.0"));
        Assert.Contains("install Granary 0.2.0", NodeSetup.VersionMismatch("0.1.0", "0.2.0"));
    }

    [Fact]
    public void Rows_SiloAndDeaViews_MergedPerNodeWithDownForAMissingSilo()
    {
        var rows = NodeStatusMerge.Rows(
            [new Granary.Cli.Api.ClusterNode("core", ["primary", "controller"], "S1", "ACTIVE", 10, "0.1.0")],
            [new Granary.Cli.Api.Node("dea1", "DEAD", null, false, 0, 1024, 0, "membership declared it dead")]);
        Assert.Equal(["core", "dea1"], rows.Select(r => r.NodeId));
        Assert.Null(rows[0].Health);
        Assert.Equal(("DOWN", "DEAD"), (rows[1].Silo, rows[1].Health));
    }

    [Fact]
    public void Rows_SiloWithIsolation_ShownOnItsRowOnly()
    {
        var rows = NodeStatusMerge.Rows(
        [
            new Granary.Cli.Api.ClusterNode("core", ["controller"], "S1", "ACTIVE", 10, "0.1.0"),
            new Granary.Cli.Api.ClusterNode("dea1", ["dea"], "S2", "ACTIVE", 11, "0.1.0", "full"),
            new Granary.Cli.Api.ClusterNode("dea2", ["dea"], "S3", "ACTIVE", 12, "0.1.0", "none"),
        ], []);

        Assert.Equal([null, "full", "none"], rows.Select(r => r.Isolation));
    }
}
