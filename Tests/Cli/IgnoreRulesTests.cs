using Granary.Cli.Push;

namespace Granary.Tests.Cli;

public class IgnoreRulesTests
{
    [Fact]
    public void Parse_BlankLinesAndComments_AreSkipped()
    {
        var rules = IgnoreRules.Parse("\n# a comment\n   \n#*.log\n");

        Assert.Equal(0, rules.Count);
        Assert.False(rules.IsIgnored("app.log", false));
    }

    [Theory]
    [InlineData("debug.log", true)]
    [InlineData("logs/debug.log", true)]
    [InlineData("a/b/c/trace.log", true)]
    [InlineData("log.txt", false)]
    [InlineData("debug.log.txt", false)]
    public void IsIgnored_ExtensionPattern_MatchesAtAnyDepth(string path, bool expected)
    {
        Assert.Equal(expected, IgnoreRules.Parse("*.log").IsIgnored(path, false));
    }

    [Theory]
    [InlineData("node_modules", true, true)]
    [InlineData("web/node_modules", true, true)]
    [InlineData("node_modules", false, true)]
    [InlineData("node_modules_old", true, false)]
    [InlineData("my-node_modules", true, false)]
    public void IsIgnored_PlainName_MatchesFilesAndDirectoriesAnywhere(string path, bool isDir, bool expected)
    {
        Assert.Equal(expected, IgnoreRules.Parse("node_modules").IsIgnored(path, isDir));
    }

    [Fact]
    public void IsIgnored_TrailingSlash_MatchesDirectoriesOnly()
    {
        var rules = IgnoreRules.Parse("tmp/");

        Assert.True(rules.IsIgnored("tmp", isDirectory: true));
        Assert.True(rules.IsIgnored("src/tmp", isDirectory: true));
        Assert.False(rules.IsIgnored("tmp", isDirectory: false));
    }

    [Fact]
    public void IsIgnored_PatternWithSlash_IsAnchoredAtRoot()
    {
        var rules = IgnoreRules.Parse("config/local.json\n/build");

        Assert.True(rules.IsIgnored("config/local.json", false));
        Assert.False(rules.IsIgnored("web/config/local.json", false));
        Assert.True(rules.IsIgnored("build", true));
        Assert.False(rules.IsIgnored("src/build", true));
    }

    [Fact]
    public void IsIgnored_NegatedRuleAfterwards_KeepsTheFile()
    {
        var rules = IgnoreRules.Parse("*.env\n!example.env");

        Assert.True(rules.IsIgnored("prod.env", false));
        Assert.False(rules.IsIgnored("example.env", false));
    }

    [Fact]
    public void IsIgnored_LastMatchingRuleWins()
    {
        var rules = IgnoreRules.Parse("!keep.txt\n*.txt");

        Assert.True(rules.IsIgnored("keep.txt", false));
    }

    [Theory]
    [InlineData("a?c", "abc", true)]
    [InlineData("a?c", "a/c", false)]
    [InlineData("docs/**/*.md", "docs/x.md", true)]
    [InlineData("docs/**/*.md", "docs/a/b/x.md", true)]
    [InlineData("docs/*.md", "docs/a/x.md", false)]
    [InlineData("a+b(c).txt", "a+b(c).txt", true)]
    [InlineData("a+b(c).txt", "aab(c).txt", false)]
    public void IsIgnored_Wildcards_FollowGitSemantics(string pattern, string path, bool expected)
    {
        Assert.Equal(expected, IgnoreRules.Parse(pattern).IsIgnored(path, false));
    }

    [Fact]
    public void Parse_WindowsLineEndings_AreHandled()
    {
        var rules = IgnoreRules.Parse("*.log\r\nsecret.txt\r\n");

        Assert.True(rules.IsIgnored("secret.txt", false));
        Assert.True(rules.IsIgnored("x.log", false));
    }
}
