using System.Net;
using Granary.Silo.Staging;

namespace Granary.Tests.Staging;

/// <summary>Granary's static file server (Support/static_server.py), run as a droplet would run it.</summary>
public sealed class StaticServerTests : IAsyncLifetime
{
    private readonly StagingSandbox _sandbox = new();
    private RunningDroplet? _server;
    private string _secret = "";

    private HttpClient Client => _server!.Client;

    public async Task InitializeAsync()
    {
        var root = _sandbox.Folder("site");
        await File.WriteAllTextAsync(Path.Combine(root, "index.html"), "<h1>home</h1>");
        Directory.CreateDirectory(Path.Combine(root, "docs"));
        await File.WriteAllTextAsync(Path.Combine(root, "docs", "index.html"), "<h1>docs</h1>");
        Directory.CreateDirectory(Path.Combine(root, "assets"));
        await File.WriteAllTextAsync(Path.Combine(root, "assets", "app.js"), "console.log(1)");
        await File.WriteAllTextAsync(Path.Combine(root, ".env"), "SECRET=1");
        _secret = Path.Combine(_sandbox.Root, "secret.txt");
        await File.WriteAllTextAsync(_secret, "outside the root");
        File.CreateSymbolicLink(Path.Combine(root, "escape"), _sandbox.Root);
        await SupportFiles.CopyAsync(StaticRules.Server, root, CancellationToken.None);
        _server = await RunningDroplet.StartAsync(root, $"python3 .granary/{StaticRules.Server}");
    }

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        _sandbox.Dispose();
    }

    [Fact]
    public async Task Get_Root_ServesIndexHtmlAsHtml()
    {
        var response = await Client.GetAsync("/");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("<h1>home</h1>", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Get_JavaScript_ServedAsJavaScript()
    {
        var response = await Client.GetAsync("/assets/app.js");

        Assert.Equal("text/javascript", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Get_FolderWithIndex_ServesItsIndex()
    {
        Assert.Equal("<h1>docs</h1>", await Client.GetStringAsync("/docs/"));
    }

    [Theory]
    [InlineData("/missing.html")]
    [InlineData("/assets/")]          // a folder without index.html: no listing
    [InlineData("/.env")]
    [InlineData("/.granary/static_server.py")]
    [InlineData("/escape/secret.txt")] // a link out of the root
    [InlineData("/../secret.txt")]
    [InlineData("/%2e%2e/secret.txt")]
    public async Task Get_MissingListingDotfileOrOutside_NotFound(string path)
    {
        var response = await Client.GetAsync(path);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.DoesNotContain("outside the root", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Get_FolderWithoutSlash_RedirectsToSlash()
    {
        using var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = Client.BaseAddress };

        var response = await client.GetAsync("/docs");

        Assert.Equal(HttpStatusCode.MovedPermanently, response.StatusCode);
        Assert.Equal("/docs/", response.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task Head_Root_HeadersWithoutBody()
    {
        var response = await Client.SendAsync(new HttpRequestMessage(HttpMethod.Head, "/"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(13, response.Content.Headers.ContentLength);
        Assert.Empty(await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task Post_Anything_MethodNotAllowed()
    {
        var response = await Client.PostAsync("/", new StringContent("x"));

        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
    }
}
