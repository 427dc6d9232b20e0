using System.Net;
using System.Text.Json;
using Npgsql;

namespace Granary.Tests.Brokers;

/// <summary>What provision, bind, unbind and deprovision really do on the PostgreSQL server.</summary>
public sealed class BrokerDatabaseTests : IAsyncLifetime
{
    private BrokerServer _broker = null!;
    private OsbClient _osb = null!;
    private ServerInspector _server = null!;

    public async Task InitializeAsync()
    {
        _broker = await BrokerServer.StartAsync();
        _osb = _broker.Client();
        _server = new ServerInspector(_broker.AdminConnectionString);
    }

    public async Task DisposeAsync()
    {
        _osb.Dispose();
        await _broker.DisposeAsync();
    }

    [Fact]
    public async Task Bind_Provisioned_ReturnsCredentialsThatLogInAndCreateATable()
    {
        var id = await ProvisionAsync(OsbClient.SmallPlan);

        var bound = await _osb.BindAsync(id, "b-" + id, OsbClient.SmallPlan);

        Assert.Equal(HttpStatusCode.Created, bound.Status);
        var credentials = bound.Body.GetProperty("credentials");
        foreach (var field in new[] { "uri", "host", "database", "username", "password", "jdbcUrl" })
            Assert.False(string.IsNullOrEmpty(credentials.GetProperty(field).GetString()), field);
        Assert.True(credentials.GetProperty("port").GetInt32() > 0);
        Assert.StartsWith("postgres://", credentials.GetProperty("uri").GetString());
        Assert.StartsWith("jdbc:postgresql://", credentials.GetProperty("jdbcUrl").GetString());
        await using var connection = await OpenAsync(credentials);
        await ExecuteAsync(connection, "CREATE TABLE visits (n int); INSERT INTO visits VALUES (1), (2)");
        Assert.Equal(2L, await ScalarAsync(connection, "SELECT count(*) FROM visits"));
    }

    [Fact]
    public async Task Bind_IdenticalAgain_Returns200WithSameCredentials_AndOtherApp409()
    {
        var id = await ProvisionAsync(OsbClient.SmallPlan);
        var first = await _osb.BindAsync(id, "b-" + id, OsbClient.SmallPlan, appGuid: "app-a");

        var again = await _osb.BindAsync(id, "b-" + id, OsbClient.SmallPlan, appGuid: "app-a");
        var otherApp = await _osb.BindAsync(id, "b-" + id, OsbClient.SmallPlan, appGuid: "app-b");

        Assert.Equal(HttpStatusCode.OK, again.Status);
        Assert.Equal(first.Body.GetProperty("credentials").GetProperty("password").GetString(),
            again.Body.GetProperty("credentials").GetProperty("password").GetString());
        Assert.Equal(HttpStatusCode.Conflict, otherApp.Status);
    }

    [Fact]
    public async Task Bindings_EachGetTheirOwnLogin_AndShareTheTablesOfTheInstance()
    {
        var id = await ProvisionAsync(OsbClient.SmallPlan);
        var a = (await _osb.BindAsync(id, "a-" + id, OsbClient.SmallPlan, "app-a")).Body.GetProperty("credentials");
        var b = (await _osb.BindAsync(id, "b-" + id, OsbClient.SmallPlan, "app-b")).Body.GetProperty("credentials");
        await using (var asA = await OpenAsync(a))
            await ExecuteAsync(asA, "CREATE TABLE shared (v text); INSERT INTO shared VALUES ('from a')");

        Assert.NotEqual(a.GetProperty("username").GetString(), b.GetProperty("username").GetString());
        Assert.Equal(HttpStatusCode.OK, (await _osb.UnbindAsync(id, "a-" + id, OsbClient.SmallPlan)).Status);
        await using var asB = await OpenAsync(b);
        Assert.Equal("from a", await ScalarAsync(asB, "SELECT v FROM shared"));
        await ExecuteAsync(asB, "INSERT INTO shared VALUES ('from b')");
    }

    [Fact]
    public async Task Unbind_DropsTheLoginAndEndsItsSessions_ThenAgain410()
    {
        var id = await ProvisionAsync(OsbClient.SmallPlan);
        var credentials = (await _osb.BindAsync(id, "b-" + id, OsbClient.SmallPlan)).Body.GetProperty("credentials");
        var login = credentials.GetProperty("username").GetString()!;
        await using var open = await OpenAsync(credentials);

        var unbound = await _osb.UnbindAsync(id, "b-" + id, OsbClient.SmallPlan);
        var again = await _osb.UnbindAsync(id, "b-" + id, OsbClient.SmallPlan);

        Assert.Equal(HttpStatusCode.OK, unbound.Status);
        Assert.Equal(HttpStatusCode.Gone, again.Status);
        Assert.False(await _server.RoleExistsAsync(login));
        await Assert.ThrowsAnyAsync<NpgsqlException>(() => ScalarAsync(open, "SELECT 1"));
        await Assert.ThrowsAsync<PostgresException>(() => OpenAsync(credentials));
    }

    [Fact]
    public async Task Deprovision_RemovesDatabaseOwnerAndEveryLogin_ThenAgain410()
    {
        var id = await ProvisionAsync(OsbClient.MediumPlan);
        var database = (await _server.DatabaseOfInstanceAsync(id))!;
        var credentials = (await _osb.BindAsync(id, "b-" + id, OsbClient.MediumPlan)).Body.GetProperty("credentials");
        await using var open = await OpenAsync(credentials);

        var deprovisioned = await _osb.DeprovisionAsync(id, OsbClient.MediumPlan);
        var again = await _osb.DeprovisionAsync(id, OsbClient.MediumPlan);

        Assert.Equal(HttpStatusCode.OK, deprovisioned.Status);
        Assert.Equal(HttpStatusCode.Gone, again.Status);
        Assert.False(await _server.DatabaseExistsAsync(database));
        Assert.Equal(0, await _server.RolesLikeAsync(database));
        await Assert.ThrowsAsync<PostgresException>(() => OpenAsync(credentials));
    }

    [Theory]
    [InlineData(0, 10)]
    [InlineData(1, 50)]
    public async Task Provision_EachPlan_LimitsConnectionsToThePlansLimit(int planIndex, int limit)
    {
        var plan = planIndex == 0 ? OsbClient.SmallPlan : OsbClient.MediumPlan;

        var id = await ProvisionAsync(plan);

        Assert.Equal(limit, await _server.ConnectionLimitAsync((await _server.DatabaseOfInstanceAsync(id))!));
    }

    [Fact]
    public async Task Credentials_OfOneInstance_CannotConnectToAnothersDatabase()
    {
        var first = await ProvisionAsync(OsbClient.SmallPlan);
        var second = await ProvisionAsync(OsbClient.SmallPlan);
        var credentials = (await _osb.BindAsync(first, "b-" + first, OsbClient.SmallPlan)).Body.GetProperty("credentials");
        var otherDatabase = (await _server.DatabaseOfInstanceAsync(second))!;

        var error = await Assert.ThrowsAsync<PostgresException>(() => OpenAsync(credentials, otherDatabase));

        Assert.Equal("42501", error.SqlState); // insufficient_privilege: no CONNECT on someone else's database
    }

    [Theory]
    [InlineData("x'; DROP TABLE granary_broker.instances; --")]
    [InlineData("\"quoted\" name")]
    [InlineData("ünïcødé-id")]
    public async Task Lifecycle_HostileInstanceAndBindingIds_WorkAndChangeNothingElse(string id)
    {
        var provisioned = await _osb.ProvisionAsync(id, OsbClient.SmallPlan);
        var bound = await _osb.BindAsync(id, id, OsbClient.SmallPlan);
        var unbound = await _osb.UnbindAsync(id, id, OsbClient.SmallPlan);
        var deprovisioned = await _osb.DeprovisionAsync(id, OsbClient.SmallPlan);

        Assert.Equal(HttpStatusCode.Created, provisioned.Status);
        Assert.Equal(HttpStatusCode.Created, bound.Status);
        Assert.Equal(HttpStatusCode.OK, unbound.Status);
        Assert.Equal(HttpStatusCode.OK, deprovisioned.Status);
        Assert.Matches("^granary_[0-9a-f]+$", bound.Body.GetProperty("credentials").GetProperty("database").GetString());
        Assert.Equal(HttpStatusCode.Created, (await _osb.ProvisionAsync(Guid.NewGuid().ToString(), OsbClient.SmallPlan)).Status);
    }

    private async Task<string> ProvisionAsync(string plan)
    {
        var id = Guid.NewGuid().ToString();
        var response = await _osb.ProvisionAsync(id, plan);
        Assert.Equal(HttpStatusCode.Created, response.Status);
        return id;
    }

    internal static async Task<NpgsqlConnection> OpenAsync(JsonElement credentials, string? database = null)
    {
        var builder = new NpgsqlConnectionStringBuilder
        {
            Host = credentials.GetProperty("host").GetString(),
            Port = credentials.GetProperty("port").GetInt32(),
            Database = database ?? credentials.GetProperty("database").GetString(),
            Username = credentials.GetProperty("username").GetString(),
            Password = credentials.GetProperty("password").GetString(),
            Pooling = false,
        };
        var connection = new NpgsqlConnection(builder.ConnectionString);
        await connection.OpenAsync();
        return connection;
    }

    internal static async Task ExecuteAsync(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    internal static async Task<object?> ScalarAsync(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteScalarAsync();
    }
}
