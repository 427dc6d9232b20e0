using System.Net.Sockets;
using Granary.Apps;

namespace Granary.Silo.Dea;

/// <summary>The verdict of waiting for an instance to become healthy.</summary>
public sealed record HealthVerdict(bool Healthy, int? ExitCode, string? Problem);

/// <summary>Waits until a starting instance passes its health check, exits, or runs out of time.</summary>
public sealed class HealthProbe(IHttpClientFactory httpClients, TimeProvider time)
{
    /// <summary>
    /// Most apps listen within a few hundred milliseconds: checking often then makes RUNNING follow within 20 ms (at
    /// 100 ms the start time was the app's rounded up to the next tenth of a second); later, a slow starter is checked
    /// less often.
    /// </summary>
    public static TimeSpan IntervalAfter(TimeSpan sinceSpawn) =>
        sinceSpawn < TimeSpan.FromSeconds(2) ? TimeSpan.FromMilliseconds(20) : TimeSpan.FromMilliseconds(100);

    public async Task<HealthVerdict> WaitAsync(HealthCheckSpec check, int port, Task<int> exited, CancellationToken cancellationToken)
    {
        var spawned = time.GetUtcNow();
        var deadline = spawned + TimeSpan.FromSeconds(check.TimeoutSeconds);
        while (true)
        {
            if (exited.IsCompleted)
            {
                var code = await exited;
                return new HealthVerdict(false, code, $"the process exited with code {code} before it became healthy");
            }

            if (check.Type == HealthCheckType.Process || await PassesAsync(check, port, cancellationToken))
            {
                return new HealthVerdict(true, null, null);
            }

            if (time.GetUtcNow() >= deadline)
            {
                return new HealthVerdict(false, null, check.Type == HealthCheckType.Http
                    ? $"health check timed out after {check.TimeoutSeconds} s: GET {check.Path} on port {port} never answered 2xx"
                    : $"health check timed out after {check.TimeoutSeconds} s: nothing listened on port {port} (does the app use $PORT?)");
            }

            await Task.WhenAny(exited, Task.Delay(IntervalAfter(time.GetUtcNow() - spawned), time, cancellationToken));
            cancellationToken.ThrowIfCancellationRequested();
        }
    }

    private async Task<bool> PassesAsync(HealthCheckSpec check, int port, CancellationToken cancellationToken)
    {
        using var attempt = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        attempt.CancelAfter(TimeSpan.FromSeconds(2));
        try
        {
            if (check.Type == HealthCheckType.Port)
            {
                using var client = new TcpClient();
                await client.ConnectAsync("127.0.0.1", port, attempt.Token);
                return true;
            }

            using var response = await httpClients.CreateClient(nameof(HealthProbe))
                .GetAsync($"http://127.0.0.1:{port}{check.Path}", attempt.Token);
            return response.IsSuccessStatusCode;
        }
        catch (Exception e) when (e is SocketException or HttpRequestException or OperationCanceledException)
        {
            cancellationToken.ThrowIfCancellationRequested();
            return false;
        }
    }
}
