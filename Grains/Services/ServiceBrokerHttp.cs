using System.Net.Http.Headers;
using System.Text;
using Microsoft.Extensions.Options;

namespace Granary.Services;

/// <summary>
/// HTTP to brokers: Basic auth and X-Broker-API-Version 2.17 on every request, one timeout per request.
/// A missing answer (timeout, refused or dropped connection) becomes <see cref="OsbReply.NoAnswer"/>.
/// </summary>
public sealed class ServiceBrokerHttp(IOptions<ServiceBrokerOptions> options) : IDisposable
{
    public const string ApiVersion = "2.17";

    private readonly HttpClient _http = new(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(2) })
    {
        Timeout = Timeout.InfiniteTimeSpan,
    };

    public async Task<OsbReply> SendAsync(BrokerRegistration broker, HttpMethod method, string pathAndQuery, string? json)
    {
        using var request = new HttpRequestMessage(method, new Uri(new Uri(broker.Url.TrimEnd('/') + "/"), pathAndQuery.TrimStart('/')));
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic",
            Convert.ToBase64String(Encoding.UTF8.GetBytes($"{broker.Username}:{broker.Password}")));
        request.Headers.Add("X-Broker-API-Version", ApiVersion);
        request.Headers.Add("X-Broker-API-Request-Identity", Guid.NewGuid().ToString());
        if (json is not null)
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        using var timeout = new CancellationTokenSource(options.Value.RequestTimeout);
        try
        {
            using var response = await _http.SendAsync(request, timeout.Token);
            return new OsbReply((int)response.StatusCode, await response.Content.ReadAsStringAsync(timeout.Token));
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested)
        {
            return OsbReply.NoAnswer($"no answer within {options.Value.RequestTimeout.TotalSeconds:0.#} s");
        }
        catch (HttpRequestException e)
        {
            return OsbReply.NoAnswer(e.Message);
        }
    }

    public void Dispose() => _http.Dispose();
}
