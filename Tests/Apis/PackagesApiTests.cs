using System.Net;
using System.Net.Http.Headers;
using Granary.Tests.Infrastructure;

namespace Granary.Tests.Apis;

[Collection(SiloCollection.Name)]
public sealed class PackagesApiTests(SiloFactory silo)
{
    private static ByteArrayContent Body(byte[] bytes)
    {
        var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/gzip");
        return content;
    }

    private async Task<(HttpStatusCode Status, string? Detail)> UploadAsync(byte[] archive, string? command = null)
    {
        var path = command is null ? "/v1/packages" : $"/v1/packages?command={Uri.EscapeDataString(command)}";
        var response = await silo.Admin().PostAsync(path, Body(archive));
        var json = await response.Json();
        return (response.StatusCode, (string?)json["detail"] ?? (string?)json["framework"]);
    }

    [Fact]
    public async Task Upload_NodeApp_201WithFramework()
    {
        var (status, framework) = await UploadAsync(Archives.TarGz(
            Archives.File("package.json", "{\"scripts\":{\"start\":\"node server.js\"}}"),
            Archives.File("server.js", "require('http').createServer((q,s)=>s.end('ok')).listen(process.env.PORT)")));

        Assert.Equal(HttpStatusCode.Created, status);
        Assert.Equal("node", framework);
    }

    [Fact]
    public async Task Upload_EmptyArchive_422NoFiles()
    {
        var (status, detail) = await UploadAsync(Archives.TarGz());

        Assert.Equal(HttpStatusCode.UnprocessableEntity, status);
        Assert.Contains("no files", detail);
    }

    [Fact]
    public async Task Upload_DotDotEntry_422NamingTheEntry()
    {
        var (status, detail) = await UploadAsync(Archives.TarGz(Archives.File("app.py", "print(1)"), Archives.File("../evil.sh", "rm -rf /")));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, status);
        Assert.Contains("../evil.sh", detail);
    }

    [Fact]
    public async Task Upload_AbsoluteLink_422()
    {
        var (status, detail) = await UploadAsync(Archives.TarGz(Archives.File("app.py", "print(1)"), Archives.Link("passwd", "/etc/passwd")));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, status);
        Assert.Contains("passwd", detail);
    }

    [Fact]
    public async Task Upload_UnknownFramework_422SuggestingCommand()
    {
        var (status, detail) = await UploadAsync(Archives.TarGz(Archives.File("README.txt", "hello")));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, status);
        Assert.Contains("--command", detail);
    }

    [Fact]
    public async Task Upload_UnknownFrameworkWithCommand_Accepted()
    {
        var (status, _) = await UploadAsync(Archives.TarGz(Archives.File("run.sh", "sleep 1")), command: "sh run.sh");

        Assert.Equal(HttpStatusCode.Created, status);
    }

    [Fact]
    public async Task Upload_OverTheLimit_413()
    {
        var big = new byte[silo.MaxPackageBytes + 1024];
        Random.Shared.NextBytes(big);

        var (status, detail) = await UploadAsync(Archives.TarGz(Archives.File("app.py", "x"), new System.Formats.Tar.PaxTarEntry(
            System.Formats.Tar.TarEntryType.RegularFile, "blob") { DataStream = new MemoryStream(big) }));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, status);
        Assert.Contains("limit", detail);
    }

    [Fact]
    public async Task Upload_NotAnArchive_422()
    {
        var (status, _) = await UploadAsync("just some text"u8.ToArray());

        Assert.Equal(HttpStatusCode.UnprocessableEntity, status);
    }

    [Fact]
    public async Task Build_UnknownPackage_404AndAppUntouched()
    {
        var client = silo.Admin();
        var id = await client.CreateAppAsync(SiloCollection.UniqueName("nopkg"));

        var response = await client.PostJson($"/v1/apps/{id}/builds", new { packageId = new string('a', 64) });

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("NONE", (string?)(await (await client.GetAsync($"/v1/apps/{id}")).Json())["staging"]!["state"]);
    }

    [Fact]
    public async Task Restage_NeverPushed_422()
    {
        var client = silo.Admin();
        var id = await client.CreateAppAsync(SiloCollection.UniqueName("norestage"));

        var response = await client.PostAsync($"/v1/apps/{id}/restage", null);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Contains("push it first", (string?)(await response.Json())["detail"]);
    }
}
