using System.Text.Json.Nodes;
using Granary.Services;

namespace Granary.Tests.Services;

public sealed class ServiceEnvironmentTests
{
    private static ServiceBinding Binding(string name, string label, string credentials, params string[] tags) =>
        new(Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), name, label, "small", [.. tags], new ServiceCredentials(credentials), DateTimeOffset.UnixEpoch);

    [Fact]
    public void Build_NoBindings_AddsNothing() => Assert.Empty(ServiceEnvironment.Build([]));

    [Fact]
    public void Build_OnePostgres_GivesVcapShapedServicesAndDatabaseUrl()
    {
        var env = ServiceEnvironment.Build([Binding("db1", "postgresql", """{"uri":"postgres://u:p@h:5432/d","port":5432}""", "postgresql")]);

        Assert.Equal("postgres://u:p@h:5432/d", env["DATABASE_URL"]);
        var entry = JsonNode.Parse(env["GRANARY_SERVICES"])!["postgresql"]![0]!;
        Assert.Equal("db1", (string)entry["name"]!);
        Assert.Equal("small", (string)entry["plan"]!);
        Assert.Equal(5432, (int)entry["credentials"]!["port"]!);
        Assert.Equal(["postgresql"], entry["tags"]!.AsArray().Select(t => (string)t!));
    }

    [Fact]
    public void Build_TwoPostgresBindings_LeavesDatabaseUrlUnsetAsAmbiguous()
    {
        var env = ServiceEnvironment.Build([
            Binding("a", "postgresql", """{"uri":"postgres://a"}"""),
            Binding("b", "user-provided", """{"uri":"postgresql://b"}"""),
        ]);

        Assert.False(env.ContainsKey("DATABASE_URL"));
        Assert.Equal(2, JsonNode.Parse(env["GRANARY_SERVICES"])!.AsObject().Count);
    }

    [Fact]
    public void Build_UserProvidedNonDatabase_NoDatabaseUrl()
    {
        var env = ServiceEnvironment.Build([Binding("mail", "user-provided", """{"uri":"smtp://mail:25","user":"x"}""")]);

        Assert.False(env.ContainsKey("DATABASE_URL"));
        Assert.Equal("x", (string)JsonNode.Parse(env["GRANARY_SERVICES"])!["user-provided"]![0]!["credentials"]!["user"]!);
    }

    [Fact]
    public void Credentials_ToString_HidesTheSecret() =>
        Assert.DoesNotContain("hunter2", new ServiceCredentials("""{"password":"hunter2"}""").ToString());

    [Fact]
    public void BrokerRegistration_ToString_HidesThePassword() =>
        Assert.DoesNotContain("hunter2", new BrokerRegistration("b", "http://x", "u", "hunter2").ToString());

    [Theory]
    [InlineData("db1", true)]
    [InlineData("my.db_2-x", true)]
    [InlineData("-db", false)]
    [InlineData("has space", false)]
    [InlineData("", false)]
    public void ServiceNames_CliFriendly(string name, bool valid) =>
        Assert.Equal(valid, ServiceNames.Problem(name, "service instance") is null);
}
