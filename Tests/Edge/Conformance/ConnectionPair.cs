using Xunit.Sdk;

namespace Granary.Tests.Edge.Conformance;

/// <summary>
/// One connection to the instance and one through the edge, each request sent on both and the answers compared:
/// a sequence of requests stays on the same two connections, as a browser's keep-alive would.
/// </summary>
internal sealed class ConnectionPair : IAsyncDisposable
{
    private readonly ConformanceApp _app;

    private ConnectionPair(ConformanceApp app, RawHttpClient instance, RawHttpClient edge)
    {
        _app = app;
        Instance = instance;
        Edge = edge;
    }

    public RawHttpClient Instance { get; }

    public RawHttpClient Edge { get; }

    public static async Task<ConnectionPair> OpenAsync(ConformanceApp app, TimeSpan? readTimeout = null) =>
        new(app, await app.InstanceAsync(readTimeout), await app.EdgeAsync(readTimeout));

    /// <summary>Sends <paramref name="request"/> directly, then through the edge; fails naming the case if they differ.</summary>
    public async Task<(RawResponse Direct, RawResponse Edge)> ExchangeAsync(string @case, RawRequest request)
    {
        var direct = await SendAsync(Instance, @case, request);
        var edge = await SendAsync(Edge, @case, request);
        ResponseComparison.AssertSame(@case, direct, edge);
        return (direct, edge);
    }

    public async Task<RawResponse> SendAsync(RawHttpClient client, string @case, RawRequest request)
    {
        try
        {
            return await client.SendAsync(request);
        }
        catch (Exception e) when (e is TimeoutException or IOException or InvalidDataException or InvalidOperationException)
        {
            var log = client == Edge ? $"\nedge log:\n{_app.EdgeLog()}" : "";
            throw new XunitException($"{@case}: {e.Message}{log}", e);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Instance.DisposeAsync();
        await Edge.DisposeAsync();
    }
}
