using Granary.Cli.Push;

namespace Granary.Tests.Cli;

public class AppNameTests
{
    [Theory]
    [InlineData("hello", "hello")]
    [InlineData("Hello", "hello")]
    [InlineData("my_app", "my-app")]
    [InlineData("My App 2", "my-app-2")]
    [InlineData("web.v2", "web-v2")]
    [InlineData("2048-game", "game")]
    [InlineData("app-", "app")]
    [InlineData("___", "app")]
    public void Sanitize_FolderName_BecomesValidAppName(string folder, string expected)
    {
        var name = AppName.Sanitize(folder);

        Assert.Equal(expected, name);
        Assert.True(AppName.IsValid(name));
    }

    [Fact]
    public void Sanitize_LongName_IsCutTo63()
    {
        var name = AppName.Sanitize(new string('a', 100));

        Assert.Equal(63, name.Length);
    }

    [Theory]
    [InlineData("a", true)]
    [InlineData("web-1", true)]
    [InlineData("", false)]
    [InlineData("1web", false)]
    [InlineData("web-", false)]
    [InlineData("Web", false)]
    [InlineData("we b", false)]
    public void IsValid_FollowsHostNameRules(string name, bool expected)
    {
        Assert.Equal(expected, AppName.IsValid(name));
    }
}
