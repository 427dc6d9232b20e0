using System.Net;
using System.Net.Sockets;
using System.Text;
using Granary.Cli;
using Granary.Cli.Commands;
using Granary.Cli.Output;

namespace Granary.Tests.Cli;

/// <summary>A temporary folder, deleted with everything in it.</summary>
internal sealed class TempDir : IDisposable
{
    public TempDir() => Directory.CreateDirectory(Path);

    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "granary-cli-test-" + Guid.NewGuid().ToString("N"));

    public string File(string relative, string content = "")
    {
        var full = System.IO.Path.Combine(Path, relative);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(full)!);
        System.IO.File.WriteAllText(full, content);
        return full;
    }

    public string Dir(string relative) => Directory.CreateDirectory(System.IO.Path.Combine(Path, relative)).FullName;

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
        }
    }
}

/// <summary>What one CLI run printed and returned.</summary>
internal sealed record CliRun(int ExitCode, string Out, string Err)
{
    public string[] ErrLines => Err.Split('\n', StringSplitOptions.RemoveEmptyEntries);

    /// <summary>Runs the CLI in-process with its own home and environment, as if typed in a pipeline (no terminal).</summary>
    public static async Task<CliRun> RunAsync(string home, IDictionary<string, string>? env, params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var variables = new Dictionary<string, string>(env ?? new Dictionary<string, string>()) { ["GRANARY_HOME"] = home };
        var host = new CliHost(new CliConsole(output, error, new StringReader(""), false, false),
            name => variables.TryGetValue(name, out var v) ? v : null, home);
        var code = await GranaryCli.RunAsync(args, host);
        return new CliRun(code, output.ToString(), error.ToString());
    }
}

/// <summary>A tiny HTTP server answering every request with whatever the test decides.</summary>
internal sealed class StubApi : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly Func<HttpListenerRequest, (int Status, string ContentType, string Body)> _answer;
    private readonly Task _loop;

    public StubApi(Func<HttpListenerRequest, (int Status, string ContentType, string Body)> answer)
    {
        _answer = answer;
        Url = $"http://127.0.0.1:{FreePort()}";
        _listener.Prefixes.Add(Url + "/");
        _listener.Start();
        _loop = Task.Run(LoopAsync);
    }

    public string Url { get; }

    public List<string> Requests { get; } = [];

    public List<string?> Authorizations { get; } = [];

    public List<string> Bodies { get; } = [];

    private async Task LoopAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }
            var requestBody = await new StreamReader(context.Request.InputStream).ReadToEndAsync();
            lock (Requests)
            {
                Requests.Add($"{context.Request.HttpMethod} {context.Request.Url!.PathAndQuery}");
                Authorizations.Add(context.Request.Headers["Authorization"]);
                Bodies.Add(requestBody);
            }
            var (status, type, body) = _answer(context.Request);
            var bytes = Encoding.UTF8.GetBytes(body);
            context.Response.StatusCode = status;
            context.Response.ContentType = type;
            context.Response.ContentLength64 = bytes.Length;
            await context.Response.OutputStream.WriteAsync(bytes);
            context.Response.Close();
        }
    }

    public static (int, string, string) Json(string body, int status = 200) => (status, "application/json", body);

    public static (int, string, string) Problem(int status, string title, string? detail) =>
        (status, "application/problem+json",
            $"{{\"type\":\"about:blank\",\"title\":\"{title}\",\"status\":{status}{(detail is null ? "" : $",\"detail\":\"{detail}\"")}}}");

    public static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    public void Dispose()
    {
        _listener.Stop();
        _listener.Close();
        try
        {
            _loop.Wait(TimeSpan.FromSeconds(5));
        }
        catch (AggregateException)
        {
        }
    }
}

/// <summary>
/// A one-connection HTTP server scripted at the byte level, for what HttpListener cannot do: answer
/// in the middle of an upload, or hang up without answering.
/// </summary>
internal sealed class ScriptedHttpServer : IDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly Task _run;

    public ScriptedHttpServer(Func<NetworkStream, Task> script)
    {
        _listener.Start();
        Url = $"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}";
        _run = Task.Run(async () =>
        {
            using var client = await _listener.AcceptTcpClientAsync();
            var stream = client.GetStream();
            Headers = await ReadHeadersAsync(stream);
            await script(stream);
            // Closing with body bytes still unread makes the kernel reset the connection, as a real server's close would.
        });
    }

    public string Url { get; }

    public string Headers { get; private set; } = "";

    public static async Task WriteAsync(NetworkStream stream, string text) => await stream.WriteAsync(Encoding.ASCII.GetBytes(text));

    public static Task ProblemAsync(NetworkStream stream, int status, string detail)
    {
        var body = $"{{\"title\":\"Refused\",\"status\":{status},\"detail\":\"{detail}\"}}";
        return WriteAsync(stream, $"HTTP/1.1 {status} Refused\r\nContent-Type: application/problem+json\r\nContent-Length: {body.Length}\r\nConnection: close\r\n\r\n{body}");
    }

    public static async Task SkipAsync(NetworkStream stream, long count)
    {
        var buffer = new byte[64 * 1024];
        for (long read = 0; read < count;)
        {
            var n = await stream.ReadAsync(buffer);
            if (n == 0)
                return;
            read += n;
        }
    }

    // Byte by byte, so no body byte is taken for a header.
    private static async Task<string> ReadHeadersAsync(NetworkStream stream)
    {
        var text = new StringBuilder();
        var one = new byte[1];
        while (!text.ToString().EndsWith("\r\n\r\n", StringComparison.Ordinal) && await stream.ReadAsync(one) == 1)
            text.Append((char)one[0]);
        return text.ToString();
    }

    /// <summary>Waits for the script to finish, so its failures fail the test.</summary>
    public Task Finished => _run;

    public void Dispose()
    {
        _listener.Stop();
        _listener.Dispose();
    }
}
