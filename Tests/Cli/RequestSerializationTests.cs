using Granary.Cli.Api;

namespace Granary.Tests.Cli;

public class RequestSerializationTests
{
    [Fact]
    public void Serialize_PatchWithSomeFields_SendsOnlyThoseFields()
    {
        var json = System.Text.Json.JsonSerializer.Serialize(new PatchAppRequest(MemoryMb: 128, Command: ""),
            CliJsonContext.Default.PatchAppRequest);

        Assert.Equal("""{"memoryMb":128,"command":""}""", json);
    }

    [Fact]
    public void Serialize_CreateRequest_UsesCamelCaseAndUpperCaseState()
    {
        var json = System.Text.Json.JsonSerializer.Serialize(new CreateAppRequest("web", Instances: 2, State: AppStates.Started),
            CliJsonContext.Default.CreateAppRequest);

        Assert.Equal("""{"name":"web","instances":2,"state":"STARTED"}""", json);
    }

    [Fact]
    public void Serialize_RoutingPatch_SendsTheApiEnumAndBoolean()
    {
        var json = System.Text.Json.JsonSerializer.Serialize(new PatchAppRequest(LoadBalancing: LoadBalancingModes.LeastRequests, StickySessions: false),
            CliJsonContext.Default.PatchAppRequest);

        Assert.Equal("""{"loadBalancing":"LEAST_REQUESTS","stickySessions":false}""", json);
    }

    [Fact]
    public void Serialize_MapRouteRequest_IsJustTheHost()
    {
        var json = System.Text.Json.JsonSerializer.Serialize(new MapRouteRequest("www.example.com"), CliJsonContext.Default.MapRouteRequest);

        Assert.Equal("""{"host":"www.example.com"}""", json);
    }
}
