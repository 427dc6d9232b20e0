// Granary sample: an ASP.NET Core minimal API with a websocket echo at /ws.
using System.Net.WebSockets;
using System.Text.Json;

var builder = WebApplication.CreateBuilder(args);

// Granary hands every instance its port in PORT.
var port = Environment.GetEnvironmentVariable("PORT") ?? "8080";
builder.WebHost.UseUrls($"http://0.0.0.0:{port}");

var app = builder.Build();
app.UseWebSockets();

var index = Environment.GetEnvironmentVariable("GRANARY_INSTANCE_INDEX") ?? "?";
var appName = AppName(Environment.GetEnvironmentVariable("GRANARY_APPLICATION")) ?? "dotnet-hello";

app.MapGet("/", () => $"Hello from {appName} (.NET {Environment.Version}), instance {index}\n");

app.Map("/ws", async (HttpContext context) =>
{
    if (!context.WebSockets.IsWebSocketRequest)
    {
        return Results.Text("connect with a websocket to get your messages echoed\n", statusCode: 400);
    }

    using var socket = await context.WebSockets.AcceptWebSocketAsync();
    var buffer = new byte[4096];
    while (true)
    {
        var received = await socket.ReceiveAsync(buffer, context.RequestAborted);
        if (received.MessageType == WebSocketMessageType.Close)
        {
            await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "bye", context.RequestAborted);
            return Results.Empty;
        }

        await socket.SendAsync(buffer.AsMemory(0, received.Count), received.MessageType, received.EndOfMessage, context.RequestAborted);
    }
});

app.Run();

static string? AppName(string? applicationJson)
{
    try
    {
        return applicationJson is null ? null
            : JsonDocument.Parse(applicationJson).RootElement.TryGetProperty("app_name", out var name) ? name.GetString() : null;
    }
    catch (JsonException)
    {
        return null;
    }
}
