using Granary.Cli;
using Granary.Cli.Node;

namespace Granary.Tests.Node;

public sealed class NodeRolesTests
{
    [Fact]
    public void Core_WithoutDea_HasEveryRoleButDea() =>
        Assert.Equal(["primary", "controller", "router", "stager"], NodeRoles.Core(withDea: false));

    [Theory]
    [InlineData(new[] { "dea" }, new[] { "dea" })]
    [InlineData(new[] { "router,dea" }, new[] { "router", "dea" })]
    [InlineData(new[] { "DEA", "stager", "dea" }, new[] { "stager", "dea" })]
    public void ParseForAttach_RolesGiven_NormalizedInCanonicalOrder(string[] given, string[] expected) =>
        Assert.Equal(expected, NodeRoles.ParseForAttach(given));

    [Theory]
    [InlineData("primary", "belongs to the core")]
    [InlineData("database", "unknown role 'database'")]
    public void ParseForAttach_RoleNotForAttach_RefusedWithReason(string role, string reason)
    {
        var error = Assert.ThrowsAny<CliException>(() => NodeRoles.ParseForAttach([role]));
        Assert.Contains(reason, error.Message);
    }

    [Fact]
    public void Add_NewRole_JoinsInCanonicalOrder() =>
        Assert.Equal(["router", "dea"], NodeRoles.Add(["dea"], "router"));

    [Fact]
    public void Add_RoleAlreadyHeld_Refused() =>
        Assert.Contains("already has the dea role", Assert.Throws<CliException>(() => NodeRoles.Add(["dea"], "dea")).Message);

    [Fact]
    public void Remove_HeldRole_LeavesTheOthers() =>
        Assert.Equal(["dea"], NodeRoles.Remove(["router", "dea"], "router"));

    [Theory]
    [InlineData(new[] { "dea" }, "dea", "only role")]
    [InlineData(new[] { "primary", "controller" }, "primary", "cannot be removed")]
    [InlineData(new[] { "dea" }, "router", "does not have the router role")]
    public void Remove_NotAllowed_RefusedWithReason(string[] roles, string role, string reason) =>
        Assert.Contains(reason, Assert.ThrowsAny<CliException>(() => NodeRoles.Remove(roles, role)).Message);
}
