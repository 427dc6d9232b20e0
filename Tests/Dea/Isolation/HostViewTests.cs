using Granary.Silo.Dea.Isolation;

namespace Granary.Tests.Dea.Isolation;

public sealed class HostViewTests
{
    private static (IReadOnlyList<string> Mounts, string Path, IReadOnlyList<string> Notes) Plan(params RuntimeLocation[] runtimes) =>
        HostView.PlanRuntimes(runtimes, path => !path.StartsWith("/root/", StringComparison.Ordinal), name => name == "python3");

    [Fact]
    public void PlanRuntimes_UnderUsr_NothingMoreToMount()
    {
        var plan = Plan(new RuntimeLocation("node", "/usr/bin/node", "/usr/bin/node"),
            new RuntimeLocation("dotnet", "/usr/bin/dotnet", "/usr/share/dotnet/dotnet"));

        Assert.Empty(plan.Mounts);
        Assert.Equal("/usr/local/bin:/usr/bin:/bin", plan.Path);
        Assert.Empty(plan.Notes);
    }

    [Fact]
    public void PlanRuntimes_UnderOpt_ItsPrefixReadOnlyAndItsBinOnPath()
    {
        var plan = Plan(new RuntimeLocation("node", "/opt/node-v22/bin/node", "/opt/node-v22/bin/node"),
            new RuntimeLocation("npm", "/opt/node-v22/bin/npm", "/opt/node-v22/lib/node_modules/npm/bin/npm-cli.js"));

        Assert.Equal(["/opt/node-v22"], plan.Mounts);
        Assert.Equal("/opt/node-v22/bin:/usr/local/bin:/usr/bin:/bin", plan.Path);
    }

    [Fact]
    public void PlanRuntimes_SymlinkFromUsrLocalToOpt_PrefixMountedPathUnchanged()
    {
        var plan = Plan(new RuntimeLocation("dotnet", "/usr/local/bin/dotnet", "/opt/dotnet/dotnet"));

        Assert.Equal(["/opt/dotnet"], plan.Mounts);
        Assert.Equal("/usr/local/bin:/usr/bin:/bin", plan.Path);
    }

    [Fact]
    public void PlanRuntimes_PyenvShimUnderRoot_NotShownSystemOneNoted()
    {
        var plan = Plan(new RuntimeLocation("python3", "/root/.pyenv/shims/python3", "/root/.pyenv/shims/python3"));

        Assert.Empty(plan.Mounts);
        Assert.DoesNotContain("/root", plan.Path);
        Assert.Contains("instances use the system's python3", Assert.Single(plan.Notes));
    }

    [Fact]
    public void PlanRuntimes_UnreachableWithNoSystemOne_NotedAsMissing()
    {
        var plan = Plan(new RuntimeLocation("node", "/root/.nvm/versions/node/v20/bin/node", "/root/.nvm/versions/node/v20/bin/node"));

        Assert.Contains("instances have no node", Assert.Single(plan.Notes));
    }

    [Fact]
    public void PlanRuntimes_NestedPrefixes_OnlyTheOuterMounted()
    {
        var plan = Plan(new RuntimeLocation("a", "/opt/tools/bin/a", "/opt/tools/bin/a"),
            new RuntimeLocation("b", "/opt/tools/sub/bin/b", "/opt/tools/sub/bin/b"));

        Assert.Equal(["/opt/tools"], plan.Mounts);
    }

    [Theory]
    [InlineData("/usr", true)]
    [InlineData("/usr/bin/node", true)]
    [InlineData("/lib64/ld-linux-x86-64.so.2", true)]
    [InlineData("/usrlocal/x", false)]
    [InlineData("/opt/node/bin/node", false)]
    public void IsSystem_Path_OnlyUnderTheSystemDirectories(string path, bool expected) =>
        Assert.Equal(expected, HostView.IsSystem(path));
}
