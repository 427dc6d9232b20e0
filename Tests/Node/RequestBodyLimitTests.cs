using Granary.Config;

namespace Granary.Tests.Node;

public sealed class RequestBodyLimitTests
{
    [Theory]
    [InlineData("1", 1L)]
    [InlineData("30000000", 30_000_000L)]
    [InlineData("512K", 512L * 1024)]
    [InlineData("512kb", 512L * 1024)]
    [InlineData("100M", 100L * 1024 * 1024)]
    [InlineData("2G", 2L * 1024 * 1024 * 1024)]
    [InlineData(" 8 GB ", 8L * 1024 * 1024 * 1024)]
    public void TryParse_Size_Bytes(string text, long bytes)
    {
        Assert.True(RequestBodyLimit.TryParse(text, out var parsed));
        Assert.Equal(bytes, parsed);
    }

    [Theory]
    [InlineData("unlimited")]
    [InlineData("UNLIMITED")]
    [InlineData("")]
    [InlineData(null)]
    public void TryParse_UnlimitedOrUnset_NoLimit(string? text)
    {
        Assert.True(RequestBodyLimit.TryParse(text, out var parsed));
        Assert.Null(parsed);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-5")]
    [InlineData("1.5M")]
    [InlineData("10B")]
    [InlineData("M")]
    [InlineData("lots")]
    [InlineData("99999999999999999G")]
    [InlineData("9999999999999G")]
    public void TryParse_NotASize_Refused(string text) => Assert.False(RequestBodyLimit.TryParse(text, out _));

    [Fact]
    public void Normalize_SizeAndUnlimited_StoredForm()
    {
        Assert.Equal("1048576", RequestBodyLimit.Normalize("1M"));
        Assert.Equal("unlimited", RequestBodyLimit.Normalize("Unlimited"));
        Assert.Null(RequestBodyLimit.Normalize("big"));
    }
}
