using System.Formats.Tar;
using System.IO.Compression;
using System.Text;
using Granary.Silo.Staging;

namespace Granary.Tests.Staging;

public sealed class PackageStoreTests : IDisposable
{
    private readonly StagingSandbox _sandbox = new();

    public void Dispose() => _sandbox.Dispose();

    private static readonly TestEntry Server = TestEntry.File("server.js", "console.log('hi')");
    private static readonly TestEntry Package = TestEntry.File("package.json", """{ "scripts": { "start": "node server.js" } }""");

    private Task<PackageInfo> SaveAsync(byte[] body, string? command = null) =>
        _sandbox.Packages.SaveAsync(new MemoryStream(body), command, CancellationToken.None);

    private async Task<PackageRejectedException> RejectedAsync(byte[] body, string? command = null)
    {
        var rejected = await Assert.ThrowsAsync<PackageRejectedException>(() => SaveAsync(body, command));
        Assert.Equal(rejected.Detail, rejected.Message);
        return rejected;
    }

    public static TheoryData<string> Formats => new() { "zip", "tgz" };

    private static byte[] Archive(string format, params TestEntry[] entries) =>
        format == "zip" ? TestArchives.Zip(entries) : TestArchives.TarGz(entries);

    [Theory]
    [MemberData(nameof(Formats))]
    public async Task SaveAsync_NodeApp_StoredByContentHashWithFramework(string format)
    {
        var body = Archive(format, Package, Server, TestEntry.File("lib/util.js"));

        var package = await SaveAsync(body);

        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(body)), package.PackageId);
        Assert.Equal(body.Length, package.SizeBytes);
        Assert.Equal(3, package.FileCount);
        Assert.Equal("node", package.Framework);
        var stored = _sandbox.Packages.FindPath(package.PackageId);
        Assert.Equal(Path.Combine(_sandbox.Options.PackagesDirectory, $"{package.PackageId}.{format}"), stored);
        Assert.Equal(body, await File.ReadAllBytesAsync(stored!));
        Assert.Single(Directory.GetFiles(_sandbox.Options.PackagesDirectory));
    }

    [Fact]
    public async Task SaveAsync_TarWithDotSlashNamesLikeGnuTar_DetectedAtRoot()
    {
        var body = TestArchives.TarGz(
            new TestEntry("./", Mode: 0x41ED, TarType: TarEntryType.Directory),
            TestEntry.File("./package.json", """{ "scripts": { "start": "node server.js" } }"""),
            TestEntry.File("./server.js"));

        var package = await SaveAsync(body);

        Assert.Equal(("node", 2), (package.Framework, package.FileCount));
    }

    [Fact]
    public async Task SaveAsync_SameContentTwice_SameIdOneFile()
    {
        var body = TestArchives.Zip(Package, Server);

        var first = await SaveAsync(body);
        var second = await SaveAsync(body);

        Assert.Equal(first.PackageId, second.PackageId);
        Assert.Single(Directory.GetFiles(_sandbox.Options.PackagesDirectory));
    }

    [Fact]
    public async Task SaveAsync_CommandGivenForUnknownApp_AcceptedAsCommand()
    {
        var package = await SaveAsync(TestArchives.Zip(TestEntry.File("run.sh", "#!/bin/sh", permissions: 0x1ED)), "./run.sh");

        Assert.Equal("command", package.Framework);
    }

    [Fact]
    public async Task SaveAsync_OverMaxPackageBytes_Rejected413()
    {
        _sandbox.Options.MaxPackageBytes = 1000;
        var body = TestArchives.Zip(Package, TestEntry.File("big.bin", RandomText(5000)));

        var rejected = await RejectedAsync(body);

        Assert.Equal(413, rejected.StatusCode);
        Assert.Contains("limit", rejected.Detail);
        Assert.Empty(Directory.GetFiles(_sandbox.Options.PackagesDirectory));
    }

    [Theory]
    [InlineData(new byte[] { })]
    [InlineData(new byte[] { (byte)'h', (byte)'e', (byte)'l', (byte)'l', (byte)'o' })]
    [InlineData(new byte[] { 0x42, 0x5A, 0x68, 0x39, 0x31 })] // bzip2
    public async Task SaveAsync_NotAnArchive_Rejected422ExpectedZipOrTarGz(byte[] body)
    {
        var rejected = await RejectedAsync(body);

        Assert.Equal(422, rejected.StatusCode);
        Assert.Contains("expected a zip or tar.gz archive", rejected.Detail);
        Assert.Empty(Directory.GetFiles(_sandbox.Options.PackagesDirectory));
    }

    [Fact]
    public async Task SaveAsync_GzipOfSomethingElse_Rejected422Damaged()
    {
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Fastest, leaveOpen: true))
        {
            gzip.Write(Encoding.UTF8.GetBytes("just some text, not a tar at all " + new string('x', 2000)));
        }

        var rejected = await RejectedAsync(buffer.ToArray());

        Assert.Equal(422, rejected.StatusCode);
    }

    [Theory]
    [MemberData(nameof(Formats))]
    public async Task SaveAsync_DotDotEntry_Rejected422NamingIt(string format)
    {
        var rejected = await RejectedAsync(Archive(format, Package, Server, TestEntry.File("../evil.sh")));

        Assert.Equal(422, rejected.StatusCode);
        Assert.Contains("'../evil.sh'", rejected.Detail);
        Assert.Contains("outside the app folder", rejected.Detail);
    }

    [Theory]
    [MemberData(nameof(Formats))]
    public async Task SaveAsync_AbsoluteEntry_Rejected422NamingIt(string format)
    {
        var rejected = await RejectedAsync(Archive(format, Package, Server, TestEntry.File("/etc/cron.d/evil")));

        Assert.Equal(422, rejected.StatusCode);
        Assert.Contains("'/etc/cron.d/evil'", rejected.Detail);
        Assert.Contains("absolute", rejected.Detail);
    }

    [Theory]
    [MemberData(nameof(Formats))]
    public async Task SaveAsync_SymlinkToEtc_Rejected422NamingIt(string format)
    {
        var rejected = await RejectedAsync(Archive(format, Package, Server, TestEntry.Symlink("config", "/etc")));

        Assert.Equal(422, rejected.StatusCode);
        Assert.Contains("'config'", rejected.Detail);
        Assert.Contains("/etc", rejected.Detail);
    }

    [Theory]
    [MemberData(nameof(Formats))]
    public async Task SaveAsync_SymlinkLeavingRoot_Rejected422NamingIt(string format)
    {
        var rejected = await RejectedAsync(Archive(format, Package, Server, TestEntry.Symlink("lib/up", "../../x")));

        Assert.Equal(422, rejected.StatusCode);
        Assert.Contains("'lib/up'", rejected.Detail);
        Assert.Contains("outside the app folder", rejected.Detail);
    }

    [Theory]
    [MemberData(nameof(Formats))]
    public async Task SaveAsync_SymlinkInsideRoot_Accepted(string format)
    {
        var package = await SaveAsync(Archive(format, Package, Server, TestEntry.Symlink("lib/main.js", "../server.js")));

        Assert.Equal(2, package.FileCount);
    }

    [Theory]
    [MemberData(nameof(Formats))]
    public async Task SaveAsync_FileInsideSymlinkedFolder_Rejected422(string format)
    {
        var rejected = await RejectedAsync(Archive(format, Package, Server, TestEntry.Symlink("lib", "."), TestEntry.File("lib/x.js")));

        Assert.Equal(422, rejected.StatusCode);
        Assert.Contains("'lib/x.js'", rejected.Detail);
    }

    [Theory]
    [InlineData(TarEntryType.CharacterDevice, "character device")]
    [InlineData(TarEntryType.BlockDevice, "block device")]
    [InlineData(TarEntryType.Fifo, "fifo")]
    public async Task SaveAsync_TarDeviceOrFifo_Rejected422NamingIt(TarEntryType type, string description)
    {
        var rejected = await RejectedAsync(TestArchives.TarGz(Package, Server, new TestEntry("dev/thing", TarType: type)));

        Assert.Equal(422, rejected.StatusCode);
        Assert.Contains("'dev/thing'", rejected.Detail);
        Assert.Contains(description, rejected.Detail);
    }

    [Fact]
    public async Task SaveAsync_ZipDeviceEntry_Rejected422()
    {
        var rejected = await RejectedAsync(TestArchives.Zip(Package, Server, new TestEntry("null", Mode: 0x21B6)));

        Assert.Equal(422, rejected.StatusCode);
        Assert.Contains("character device", rejected.Detail);
    }

    [Fact]
    public async Task SaveAsync_TarHardLinkOutsideRoot_Rejected422()
    {
        var rejected = await RejectedAsync(TestArchives.TarGz(Package, Server,
            new TestEntry("shadow", LinkTarget: "/etc/shadow", TarType: TarEntryType.HardLink)));

        Assert.Equal(422, rejected.StatusCode);
        Assert.Contains("'shadow'", rejected.Detail);
    }

    [Fact]
    public async Task SaveAsync_TarHardLinkToEarlierFile_AcceptedAsFile()
    {
        var package = await SaveAsync(TestArchives.TarGz(Package, Server,
            new TestEntry("copy.js", LinkTarget: "server.js", TarType: TarEntryType.HardLink)));

        Assert.Equal(3, package.FileCount);
    }

    [Theory]
    [MemberData(nameof(Formats))]
    public async Task SaveAsync_TooManyEntries_Rejected413(string format)
    {
        _sandbox.Options.MaxEntries = 10;
        var entries = Enumerable.Range(0, 11).Select(i => TestEntry.File($"f{i}.txt")).Prepend(Package).ToArray();

        var rejected = await RejectedAsync(Archive(format, entries));

        Assert.Equal(413, rejected.StatusCode);
        Assert.Contains("more than 10 entries", rejected.Detail);
    }

    [Theory]
    [MemberData(nameof(Formats))]
    public async Task SaveAsync_UnpackedSizeBomb_Rejected413(string format)
    {
        _sandbox.Options.MaxUnpackedBytes = 1024 * 1024;
        var body = Archive(format, Package, Server, TestEntry.File("zeros.bin", new string('\0', 3 * 1024 * 1024)));
        Assert.True(body.Length < 64 * 1024, "the bomb should compress well");

        var rejected = await RejectedAsync(body);

        Assert.Equal(413, rejected.StatusCode);
        Assert.Contains("unpacks to more than 1 MB", rejected.Detail);
    }

    [Theory]
    [MemberData(nameof(Formats))]
    public async Task SaveAsync_ArchiveWithNoFiles_Rejected422Empty(string format)
    {
        var body = format == "zip"
            ? TestArchives.Zip()
            : TestArchives.TarGz(new TestEntry("src/", Mode: 0x41ED, TarType: TarEntryType.Directory));

        var rejected = await RejectedAsync(body);

        Assert.Equal(422, rejected.StatusCode);
        Assert.Equal("the upload holds no files: push a folder with your app in it", rejected.Detail);
    }

    [Fact]
    public async Task SaveAsync_NoFrameworkNoCommand_Rejected422ListingWhatGranaryLooksFor()
    {
        var rejected = await RejectedAsync(TestArchives.Zip(TestEntry.File("main.go", "package main")));

        Assert.Equal(422, rejected.StatusCode);
        Assert.Equal(FrameworkDetector.UnknownAppError, rejected.Detail);
    }

    [Fact]
    public async Task SaveAsync_NodeWithoutStart_Rejected422SayingAddScriptsStart()
    {
        var rejected = await RejectedAsync(TestArchives.Zip(TestEntry.File("package.json", "{}"), TestEntry.File("lib/a.js")));

        Assert.Contains("scripts.start", rejected.Detail);
    }

    [Fact]
    public async Task SaveAsync_Rejected_LeavesNoTemporaryFiles()
    {
        await RejectedAsync(TestArchives.Zip(Package, TestEntry.File("../x")));

        Assert.Empty(Directory.GetFiles(_sandbox.Options.PackagesDirectory, "*", SearchOption.AllDirectories));
    }

    [Theory]
    [InlineData("")]
    [InlineData("../../etc/passwd")]
    [InlineData("ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789")]
    [InlineData("0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef")]
    public void FindPath_MalformedOrUnknownId_Null(string id)
    {
        Assert.Null(_sandbox.Packages.FindPath(id));
    }

    private static string RandomText(int length)
    {
        var random = new Random(7);
        return new string(Enumerable.Range(0, length).Select(_ => (char)random.Next('a', 'z' + 1)).ToArray());
    }
}
