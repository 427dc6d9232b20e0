using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Granary.Tests.Apis;

/// <summary>Reads API answers as plain JSON, the way any client would, without the server's types.</summary>
public static class ApiJson
{
    public static async Task<JsonNode> Json(this HttpResponseMessage response) =>
        JsonNode.Parse(await response.Content.ReadAsStringAsync()) ?? throw new JsonException("empty body");

    public static Task<HttpResponseMessage> PostJson(this HttpClient client, string path, object body) =>
        client.PostAsJsonAsync(path, body);

    public static Task<HttpResponseMessage> PatchJson(this HttpClient client, string path, object body) =>
        client.PatchAsJsonAsync(path, body);

    public static async Task<string> CreateAppAsync(this HttpClient client, string name, object? extra = null)
    {
        var body = JsonSerializer.SerializeToNode(extra ?? new { })!.AsObject();
        body["name"] = name;
        var response = await client.PostJson("/v1/apps", body);
        Assert.Equal(System.Net.HttpStatusCode.Created, response.StatusCode);
        return (string)(await response.Json())["id"]!;
    }
}
