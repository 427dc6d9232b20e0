using System.Runtime.Versioning;
using Granary.Cli.Config;

namespace Granary.Tests.Cli;

// Granary runs on Linux: these tests check unix modes, signals and /proc.
[SupportedOSPlatform("linux")]

public class ConfigStoreTests
{
    private static Func<string, string?> Env(params (string Key, string Value)[] values) =>
        name => values.FirstOrDefault(v => v.Key == name).Value;

    [Fact]
    public void ResolveHome_Option_WinsOverEnvironment()
    {
        Assert.Equal("/tmp/x", ConfigStore.ResolveHome("/tmp/x", Env(("GRANARY_HOME", "/tmp/y"))));
    }

    [Fact]
    public void ResolveHome_NoOption_UsesGranaryHomeThenHome()
    {
        Assert.Equal("/tmp/y", ConfigStore.ResolveHome(null, Env(("GRANARY_HOME", "/tmp/y"), ("HOME", "/home/u"))));
        Assert.Equal("/home/u/.granary", ConfigStore.ResolveHome(null, Env(("HOME", "/home/u"))));
    }

    [Fact]
    public void LoadEffective_NoFile_DefaultsToLocalApi()
    {
        using var dir = new TempDir();

        var config = new ConfigStore(dir.Path).LoadEffective(Env());

        Assert.Equal("http://127.0.0.1:7700", config.Api);
        Assert.Null(config.Token);
    }

    [Fact]
    public void LoadEffective_EnvironmentVariables_OverrideTheFile()
    {
        using var dir = new TempDir();
        var store = new ConfigStore(dir.Path);
        store.Save(new CliConfig("http://file:1", "file-token", "http://edge"));

        var config = store.LoadEffective(Env(("GRANARY_API", "http://env:2/"), ("GRANARY_TOKEN", "env-token")));

        Assert.Equal("http://env:2", config.Api);
        Assert.Equal("env-token", config.Token);
        Assert.Equal("http://edge", config.Edge);
    }

    [Fact]
    public void Save_File_IsReadableByOwnerOnlyAndRoundTrips()
    {
        using var dir = new TempDir();
        var store = new ConfigStore(Path.Combine(dir.Path, "new-home"));

        store.Save(new CliConfig("http://a:1", "tok", "http://e:2"));

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(store.FilePath));
        Assert.Equal(new CliConfig("http://a:1", "tok", "http://e:2"), store.LoadFile());
        Assert.Contains("\"api\"", File.ReadAllText(store.FilePath));
    }

    [Fact]
    public void LoadFile_BrokenJson_SaysWhichFile()
    {
        using var dir = new TempDir();
        var store = new ConfigStore(dir.Path);
        File.WriteAllText(store.FilePath, "{ nope");

        var error = Assert.Throws<Granary.Cli.CliException>(() => store.LoadFile());

        Assert.Contains(store.FilePath, error.Message);
    }

    [Theory]
    [InlineData("localhost:7700", "http://localhost:7700")]
    [InlineData("https://api.example.com/", "https://api.example.com")]
    [InlineData(" http://x:1 ", "http://x:1")]
    public void NormalizeUrl_HostOrTrailingSlash_IsNormalized(string input, string expected)
    {
        Assert.Equal(expected, ConfigStore.NormalizeUrl(input));
    }
}
