using Granary.Cli;
using Granary.Cli.Push;

namespace Granary.Tests.Cli;

public class ManifestTests
{
    private const string Full = """
        applications:
        - name: hello
          instances: 2
          memory: 512M
          command: node server.js
          path: ./web
          buildpack: nodejs_buildpack
          env:
            GREETING: hi there
            PORT_OFFSET: 3
            DEBUG: true
          routes:
          - route: hello.example.com
          services:
          - db
        - name: worker
          memory: 1G
        """;

    [Fact]
    public void Parse_FullManifest_ReadsEveryKnownField()
    {
        var apps = Manifest.Parse(Full);

        Assert.Equal(2, apps.Count);
        var hello = apps[0];
        Assert.Equal("hello", hello.Name);
        Assert.Equal(2, hello.Instances);
        Assert.Equal(512, hello.MemoryMb);
        Assert.Equal("node server.js", hello.Command);
        Assert.Equal("./web", hello.Path);
        Assert.Equal("hi there", hello.Env!["GREETING"]);
        Assert.Equal("3", hello.Env["PORT_OFFSET"]);
        Assert.Equal("true", hello.Env["DEBUG"]);
        Assert.Equal(["hello.example.com"], hello.Routes!);
        Assert.Equal(["db"], hello.Services!);
        Assert.Equal(1024, apps[1].MemoryMb);
        Assert.Null(apps[1].Env);
    }

    [Fact]
    public void Parse_MemoryAsBareNumber_IsMegabytes()
    {
        var app = Manifest.Parse("applications:\n- name: a\n  memory: 128\n")[0];

        Assert.Equal(128, app.MemoryMb);
    }

    [Theory]
    [InlineData("applications:\n- name: a\n  memory: lots\n", "memory")]
    [InlineData("applications:\n- name: a\n  instances: two\n", "instances")]
    [InlineData("applications:\n- name: a\n  env: [A, B]\n", "env")]
    [InlineData("name: a\n", "applications")]
    [InlineData("- a\n- b\n", "mapping")]
    [InlineData("applications: [\n", "YAML")]
    public void Parse_InvalidManifest_FailsNamingTheProblem(string yaml, string expected)
    {
        var error = Assert.Throws<CliException>(() => Manifest.Parse(yaml));

        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public void Parse_ServicesAsMappings_ReadsTheirNames()
    {
        var app = Manifest.Parse("applications:\n- name: a\n  services:\n  - name: db\n  - cache\n")[0];

        Assert.Equal(["db", "cache"], app.Services!);
    }

    [Theory]
    [InlineData("applications:\n- name: a\n  routes:\n  - www.example.com\n")]
    [InlineData("applications:\n- name: a\n  routes:\n  - host: www.example.com\n")]
    [InlineData("applications:\n- name: a\n  routes:\n  - route:\n")]
    [InlineData("applications:\n- name: a\n  routes: www.example.com\n")]
    public void Parse_RouteWithoutRouteKey_FailsNamingTheEntry(string yaml)
    {
        var error = Assert.Throws<CliException>(() => Manifest.Parse(yaml));

        Assert.Contains("routes", error.Message);
        Assert.Contains("route: ", error.Message);
    }

    [Fact]
    public void Parse_SeveralRoutes_KeepsTheirOrder()
    {
        var app = Manifest.Parse("applications:\n- name: a\n  routes:\n  - route: b.example.com\n  - route: a.example.com\n")[0];

        Assert.Equal(["b.example.com", "a.example.com"], app.Routes!);
    }

    [Fact]
    public void Parse_EmptyEnvAndNullValues_AreTreatedAsAbsent()
    {
        var app = Manifest.Parse("applications:\n- name: a\n  env:\n  command: ~\n")[0];

        Assert.Null(app.Env);
        Assert.Null(app.Command);
    }

    [Fact]
    public void Select_NoName_ReturnsFirstApplication()
    {
        Assert.Equal("hello", Manifest.Select(Manifest.Parse(Full), null)!.Name);
    }

    [Fact]
    public void Select_MatchingName_ReturnsThatApplication()
    {
        Assert.Equal("worker", Manifest.Select(Manifest.Parse(Full), "worker")!.Name);
    }

    [Fact]
    public void Select_UnknownNameAmongSeveral_Fails()
    {
        var error = Assert.Throws<CliException>(() => Manifest.Select(Manifest.Parse(Full), "other"));

        Assert.Contains("hello, worker", error.Message);
    }

    [Fact]
    public void Select_UnknownNameWithSingleApplication_UsesIt()
    {
        var apps = Manifest.Parse("applications:\n- name: a\n  instances: 3\n");

        Assert.Equal(3, Manifest.Select(apps, "b")!.Instances);
    }
}
