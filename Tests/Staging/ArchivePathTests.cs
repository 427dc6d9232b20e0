using Granary.Silo.Staging;

namespace Granary.Tests.Staging;

public sealed class ArchivePathTests
{
    [Theory]
    [InlineData("a/b.txt", "a/b.txt")]
    [InlineData("./a//b.txt", "a/b.txt")]
    [InlineData("a\\b.txt", "a/b.txt")]
    [InlineData("./", "")]
    public void Normalize_RelativeName_Cleaned(string raw, string expected)
    {
        Assert.Equal(expected, ArchivePath.Normalize(raw, out var error));
        Assert.Null(error);
    }

    [Theory]
    [InlineData("/etc/passwd", "absolute")]
    [InlineData("C:/Windows/x", "absolute")]
    [InlineData("../x", "..")]
    [InlineData("a/../../x", "..")]
    [InlineData("a\\..\\..\\x", "..")]
    [InlineData("a\0b", "NUL")]
    public void Normalize_UnsafeName_ErrorNamesTheProblem(string raw, string expected)
    {
        ArchivePath.Normalize(raw, out var error);

        Assert.NotNull(error);
        Assert.Contains(expected, error);
    }

    [Theory]
    [InlineData("link", "target.txt")]
    [InlineData("a/link", "../b/c")]
    [InlineData("a/b/link", "../../x")]
    [InlineData("link", ".")]
    public void CheckLink_TargetInsideRoot_Allowed(string link, string target)
    {
        Assert.Null(ArchivePath.CheckLink(new Dictionary<string, string> { [link] = target }, link));
    }

    [Theory]
    [InlineData("link", "/etc")]
    [InlineData("link", "..")]
    [InlineData("a/link", "../../x")]
    [InlineData("a/link", "b/../../../x")]
    [InlineData("link", "")]
    public void CheckLink_TargetOutsideRoot_Refused(string link, string target)
    {
        Assert.NotNull(ArchivePath.CheckLink(new Dictionary<string, string> { [link] = target }, link));
    }

    [Fact]
    public void CheckLink_ChainThroughLinkToRoot_RefusedEvenThoughTextLooksInside()
    {
        // "d/../etc" reads as "etc", but d is the root itself, so the kernel resolves it to ../etc.
        var links = new Dictionary<string, string> { ["d"] = ".", ["e"] = "d/../etc" };

        Assert.Null(ArchivePath.CheckLink(links, "d"));
        Assert.NotNull(ArchivePath.CheckLink(links, "e"));
    }

    [Fact]
    public void CheckLink_ChainThroughAbsoluteLink_Refused()
    {
        var links = new Dictionary<string, string> { ["a/up"] = "/", ["b"] = "a/up/etc" };

        Assert.NotNull(ArchivePath.CheckLink(links, "b"));
    }

    [Fact]
    public void CheckLink_LinkLoop_Refused()
    {
        var links = new Dictionary<string, string> { ["a"] = "b", ["b"] = "a/x" };

        Assert.Contains("loop", ArchivePath.CheckLink(links, "a"));
    }
}
