using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Granary.Cli.Api;

/// <summary>The Granary HTTP API (docs/API.md), with every failure turned into one actionable message.</summary>
internal sealed partial class GranaryApiClient : IDisposable
{
    private static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan UploadTimeout = TimeSpan.FromMinutes(15);
    private readonly HttpClient _http;

    public GranaryApiClient(string baseUrl, string? token, HttpMessageHandler? handler = null)
    {
        BaseUrl = baseUrl.TrimEnd('/');
        handler ??= new SocketsHttpHandler { ConnectTimeout = TimeSpan.FromSeconds(10) };
        // Per-call timeouts instead: log streams stay open for as long as the user watches.
        _http = new HttpClient(handler) { BaseAddress = new Uri(BaseUrl + "/"), Timeout = Timeout.InfiniteTimeSpan };
        if (!string.IsNullOrEmpty(token))
            _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        _http.DefaultRequestHeaders.UserAgent.ParseAdd("granary-cli/" + CliVersion.Value);
    }

    public string BaseUrl { get; }

    public string UnreachableMessage =>
        $"cannot reach the Granary API at {BaseUrl} (is the micro cloud up? ./granary micro up)";

    /// <summary>Sends a request and returns the successful answer's body as text.</summary>
    public async Task<string> SendForTextAsync(HttpMethod method, string path, HttpContent? content, CancellationToken ct, TimeSpan? timeout = null)
    {
        using var response = await SendAsync(method, path, content, HttpCompletionOption.ResponseContentRead, ct, timeout ?? DefaultTimeout);
        return await response.Content.ReadAsStringAsync(ct);
    }

    public async Task<T> SendForJsonAsync<T>(HttpMethod method, string path, HttpContent? content, JsonTypeInfo<T> type, CancellationToken ct, TimeSpan? timeout = null)
    {
        var body = await SendForTextAsync(method, path, content, ct, timeout);
        return Deserialize(body, type, path);
    }

    public T Deserialize<T>(string body, JsonTypeInfo<T> type, string path)
    {
        try
        {
            return JsonSerializer.Deserialize(body, type) ?? throw new JsonException("empty body");
        }
        catch (JsonException e)
        {
            throw new CliException($"unexpected answer from {BaseUrl}/{path.TrimStart('/')}: {e.Message}");
        }
    }

    /// <summary>Sends a request; a non-success status becomes an <see cref="ApiException"/>.</summary>
    public async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, HttpContent? content,
        HttpCompletionOption completion, CancellationToken ct, TimeSpan? timeout)
    {
        using var request = new HttpRequestMessage(method, path.TrimStart('/')) { Content = content };
        using var timeoutCts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        if (timeout is { } limit)
            timeoutCts.CancelAfter(limit);
        HttpResponseMessage response;
        try
        {
            response = await _http.SendAsync(request, completion, timeoutCts.Token);
            if (response.IsSuccessStatusCode)
                return response;
        }
        catch (HttpRequestException e) when (IsUnreachable(e))
        {
            throw new CliException(UnreachableMessage);
        }
        catch (HttpRequestException e)
        {
            throw new CliException($"request to {BaseUrl} failed: {ProblemReader.OneLine(e.Message)}");
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            throw new CliException($"the Granary API at {BaseUrl} did not answer {method} /{path.TrimStart('/')} within {timeout!.Value.TotalSeconds:0} s");
        }
        using (response)
        {
            var body = await SafeReadAsync(response, ct);
            throw new ApiException(response.StatusCode, ProblemReader.Message(response.StatusCode, response.ReasonPhrase, body));
        }
    }

    private static async Task<string> SafeReadAsync(HttpResponseMessage response, CancellationToken ct)
    {
        try
        {
            return await response.Content.ReadAsStringAsync(ct);
        }
        catch (HttpRequestException)
        {
            return "";
        }
    }

    private static bool IsUnreachable(HttpRequestException e) =>
        e.HttpRequestError is HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError
        || e.InnerException is SocketException;

    public static StringContent Json<T>(T value, JsonTypeInfo<T> type) =>
        new(JsonSerializer.Serialize(value, type), Encoding.UTF8, "application/json");

    public void Dispose() => _http.Dispose();
}
