using System.Collections.Immutable;
using System.Text.Json;
using Granary.Apps;
using Granary.Nodes;
using Granary.Silo.Dea;

namespace Granary.Tests.Dea;

public sealed class InstanceEnvironmentTests
{
    private static readonly Guid AppId = Guid.NewGuid();
    private static readonly Guid InstanceId = Guid.NewGuid();

    private static Dictionary<string, string> Build(ImmutableDictionary<string, string>? userEnv = null) =>
        InstanceEnvironment.Build(
            new InstanceSpec(InstanceId, AppId, "web", 2, "hash", "node server.js", 256,
                userEnv ?? ImmutableDictionary<string, string>.Empty, HealthCheckSpec.Default, ["web.localhost"]),
            4321, "/data/i/app", "/data/i/tmp", "10.0.0.7", "/usr/bin:/bin", DateTimeOffset.UnixEpoch);

    [Fact]
    public void Build_Platform_PortHomeTmpAndIndex()
    {
        var env = Build();

        Assert.Equal("4321", env["PORT"]);
        Assert.Equal("/data/i/app", env["HOME"]);
        Assert.Equal("/data/i/tmp", env["TMPDIR"]);
        Assert.Equal("2", env["GRANARY_INSTANCE_INDEX"]);
        Assert.Equal(InstanceId.ToString(), env["GRANARY_INSTANCE_ID"]);
        Assert.Equal("256m", env["MEMORY_LIMIT"]);
    }

    [Fact]
    public void Build_Application_JsonLikeVcapApplication()
    {
        using var json = JsonDocument.Parse(Build()["GRANARY_APPLICATION"]);
        var app = json.RootElement;

        Assert.Equal(AppId, app.GetProperty("application_id").GetGuid());
        Assert.Equal("web", app.GetProperty("application_name").GetString());
        Assert.Equal(2, app.GetProperty("instance_index").GetInt32());
        Assert.Equal(InstanceId, app.GetProperty("instance_id").GetGuid());
        Assert.Equal("web.localhost", app.GetProperty("application_uris")[0].GetString());
        Assert.Equal(4321, app.GetProperty("port").GetInt32());
    }

    [Fact]
    public void Build_UserEnv_PresentButCannotOverrideThePlatform()
    {
        var env = Build(ImmutableDictionary<string, string>.Empty.Add("GREETING", "hi").Add("PORT", "80").Add("NODE_ENV", "development"));

        Assert.Equal("hi", env["GREETING"]);
        Assert.Equal("4321", env["PORT"]);
        Assert.Equal("development", env["NODE_ENV"]);
    }

    [Fact]
    public void Build_Path_AppToolsFirstThenTheNodes()
    {
        Assert.Equal("/data/i/app/node_modules/.bin:/usr/bin:/bin", Build()["PATH"]);
    }
}
