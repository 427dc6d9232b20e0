using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Granary.Logs;
using Granary.Silo.Processes;

namespace Granary.Tests.Staging;

/// <summary>Runs an unpacked droplet the way the DEA does (/bin/sh -c start in its root, PORT set) until disposed.</summary>
internal sealed class RunningDroplet : IAsyncDisposable
{
    private readonly ChildProcess _process;
    private readonly ConcurrentQueue<string> _output = new();

    private RunningDroplet(ChildProcess process, int port, ConcurrentQueue<string> output)
    {
        _process = process;
        _output = output;
        Port = port;
        Client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(10) };
    }

    public int Port { get; }

    public HttpClient Client { get; }

    public string Output => string.Join('\n', _output);

    public static async Task<RunningDroplet> StartAsync(string root, string startCommand, int instanceIndex = 0)
    {
        var port = FreePort();
        var environment = new Dictionary<string, string>
        {
            ["PATH"] = Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin:/bin",
            ["HOME"] = root,
            ["PORT"] = port.ToString(),
            ["GRANARY_INSTANCE_INDEX"] = instanceIndex.ToString(),
            ["DOTNET_NOLOGO"] = "1",
        };
        var output = new ConcurrentQueue<string>();
        var process = ChildProcess.Start(new ChildProcessStart(startCommand, root, environment), (_, line) => output.Enqueue(line));
        var running = new RunningDroplet(process, port, output);
        await running.WaitUntilListeningAsync();
        return running;
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _process.StopAsync(TimeSpan.FromSeconds(2));
        _process.Dispose();
    }

    private async Task WaitUntilListeningAsync()
    {
        for (var attempt = 0; attempt < 300; attempt++)
        {
            if (_process.Exited.IsCompleted)
            {
                throw new InvalidOperationException($"the app exited with code {_process.Exited.Result}:\n{Output}");
            }

            try
            {
                using var socket = new TcpClient();
                await socket.ConnectAsync(IPAddress.Loopback, Port);
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(100);
            }
        }

        throw new TimeoutException($"the app did not listen on port {Port}:\n{Output}");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
