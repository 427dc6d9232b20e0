using System.Diagnostics;
using Granary.Cli.Micro;

namespace Granary.Tests.Brokers;

/// <summary>The broker as operators run it: its own process, configured through the environment.</summary>
public sealed class BrokerProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringWriter _output = new();

    private BrokerProcess(Process process, string url)
    {
        _process = process;
        Url = url;
    }

    public string Url { get; }
    public string Output { get { lock (_output) return _output.ToString(); } }

    public static async Task<BrokerProcess> StartAsync(string adminConnectionString, int? port = null, IReadOnlyDictionary<string, string>? settings = null)
    {
        var url = $"http://127.0.0.1:{port ?? FreePorts.Pick(1)[0]}";
        var start = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "Granary.PostgresBroker.dll")])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment["Broker__AdminConnectionString"] = adminConnectionString;
        start.Environment["Broker__Username"] = BrokerServer.Username;
        start.Environment["Broker__Password"] = BrokerServer.Password;
        start.Environment["Broker__ListenUrl"] = url;
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
            start.Environment[key] = value;
        var process = Process.Start(start)!;
        var broker = new BrokerProcess(process, url);
        process.OutputDataReceived += (_, e) => { lock (broker._output) broker._output.WriteLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { lock (broker._output) broker._output.WriteLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline && !process.HasExited)
        {
            try
            {
                if ((await http.GetAsync(url + "/healthz")).IsSuccessStatusCode)
                    return broker;
            }
            catch (HttpRequestException) { }
            catch (TaskCanceledException) { }
            await Task.Delay(100);
        }
        await broker.DisposeAsync();
        throw new InvalidOperationException("the broker process did not start:\n" + broker.Output);
    }

    public OsbClient Client() => new(Url);

    /// <summary>SIGKILL: no shutdown code runs, as when a machine dies.</summary>
    public async Task KillAsync()
    {
        if (!_process.HasExited)
            _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        _process.Dispose();
    }
}
