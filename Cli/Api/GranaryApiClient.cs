using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Granary.Cli.Config;

namespace Granary.Cli.Api;

/// <summary>The Granary HTTP API (docs/API.md), with every failure turned into one actionable message.</summary>
internal sealed partial class GranaryApiClient : IDisposable
{
    private static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan UploadTimeout = TimeSpan.FromMinutes(15);
    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(10);
    // How long an upload waits for the server's "100 Continue" (or its refusal) before sending the body anyway.
    private static readonly TimeSpan ExpectContinueTimeout = TimeSpan.FromSeconds(2);
    private readonly HttpClient _http;
    private readonly SemaphoreSlim _refreshing = new(1, 1);
    private string? _token;
    private HttpClient? _uploads;
    private SessionRenewal? _renewal;

    public GranaryApiClient(string baseUrl, string? token)
    {
        BaseUrl = baseUrl.TrimEnd('/');
        _token = token;
        _http = CreateHttp(new SocketsHttpHandler { ConnectTimeout = ConnectTimeout, Expect100ContinueTimeout = ExpectContinueTimeout });
    }

    /// <summary>
    /// Renews the access token before a request once it is due (<see cref="SessionRenewal"/>), so a logged-in user
    /// never sees it expire; the renewal saves the new tokens.
    /// </summary>
    public void RenewWith(SessionRenewal renewal) => _renewal = renewal;

    public string BaseUrl { get; }

    /// <summary>The targeted space's id (<c>granary target -s</c>): app verbs work in it. Null: the server's default.</summary>
    public string? Space { get; set; }

    private string SpaceQuery(char separator) => Space is null ? "" : $"{separator}space={Uri.EscapeDataString(Space)}";

    public string UnreachableMessage =>
        $"cannot reach the Granary API at {BaseUrl} (is the micro cloud up? ./granary micro up)";

    public const string UploadClosedMessage = "the API closed the upload early (is it larger than the server's package limit?)";

    // Only uploads use these connections (see UploadTransport); everything else keeps ordinary ones.
    private HttpClient Uploads => _uploads ??= CreateHttp(UploadTransport.CreateHandler(ConnectTimeout, ExpectContinueTimeout));

    private HttpClient CreateHttp(HttpMessageHandler handler)
    {
        // Per-call timeouts instead: log streams stay open for as long as the user watches.
        var http = new HttpClient(handler) { BaseAddress = new Uri(BaseUrl + "/"), Timeout = Timeout.InfiniteTimeSpan };
        http.DefaultRequestHeaders.UserAgent.ParseAdd("granary-cli/" + CliVersion.Value);
        return http;
    }

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
        return await SendAsync(_http, request, completion, ct, timeout, upload: false);
    }

    /// <summary>
    /// Uploads a body. The server checks the size from the headers alone, so the body waits for its
    /// "100 Continue": a refused upload ends with the server's reason, not with a broken pipe.
    /// </summary>
    public async Task<string> UploadForTextAsync(string path, HttpContent content, CancellationToken ct, TimeSpan timeout)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path.TrimStart('/')) { Content = content };
        request.Headers.ExpectContinue = true;
        using var response = await SendAsync(Uploads, request, HttpCompletionOption.ResponseContentRead, ct, timeout, upload: true);
        return await response.Content.ReadAsStringAsync(ct);
    }

    private async Task<HttpResponseMessage> SendAsync(HttpClient http, HttpRequestMessage request,
        HttpCompletionOption completion, CancellationToken ct, TimeSpan? timeout, bool upload)
    {
        var target = request.RequestUri?.OriginalString; // before HttpClient makes it absolute
        await RenewIfDueAsync(ct);
        if (!string.IsNullOrEmpty(_token))
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _token);
        using var timeoutCts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        if (timeout is { } limit)
            timeoutCts.CancelAfter(limit);
        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, completion, timeoutCts.Token);
            if (response.IsSuccessStatusCode)
                return response;
        }
        catch (HttpRequestException e) when (IsUnreachable(e))
        {
            throw new CliException(UnreachableMessage);
        }
        catch (Exception e) when (upload && e is HttpRequestException or IOException)
        {
            // Even a failed write lets the answer be read (UploadTransport); this is a close without one.
            throw new CliException(UploadClosedMessage);
        }
        catch (HttpRequestException e)
        {
            throw new CliException($"request to {BaseUrl} failed: {ProblemReader.OneLine(e.Message)}");
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            throw new CliException($"the Granary API at {BaseUrl} did not answer {request.Method} /{target} within {timeout!.Value.TotalSeconds:0} s");
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

    private async Task RenewIfDueAsync(CancellationToken ct)
    {
        if (_renewal is not { } renewal || !renewal.IsDue(DateTimeOffset.UtcNow))
            return;
        await _refreshing.WaitAsync(ct);
        try
        {
            if (renewal.IsDue(DateTimeOffset.UtcNow))
                _token = await renewal.RenewAsync(ct);
        }
        finally
        {
            _refreshing.Release();
        }
    }

    public static StringContent Json<T>(T value, JsonTypeInfo<T> type) =>
        new(JsonSerializer.Serialize(value, type), Encoding.UTF8, "application/json");

    public void Dispose()
    {
        _http.Dispose();
        _uploads?.Dispose();
        _refreshing.Dispose();
    }
}
