using Granary.Cli;
using Granary.Cli.Push;

namespace Granary.Tests.Cli;

public class MemorySizeTests
{
    [Theory]
    [InlineData("256M", 256)]
    [InlineData("256MB", 256)]
    [InlineData("256m", 256)]
    [InlineData("256mb", 256)]
    [InlineData("1G", 1024)]
    [InlineData("1GB", 1024)]
    [InlineData("2g", 2048)]
    [InlineData("512", 512)]
    [InlineData(" 128M ", 128)]
    [InlineData("1", 1)]
    public void TryParse_AcceptedForm_ReturnsMegabytes(string text, int expected)
    {
        Assert.True(MemorySize.TryParse(text, out var mb));
        Assert.Equal(expected, mb);
    }

    [Theory]
    [InlineData("")]
    [InlineData(" ")]
    [InlineData(null)]
    [InlineData("M")]
    [InlineData("GB")]
    [InlineData("0")]
    [InlineData("0M")]
    [InlineData("-256M")]
    [InlineData("+256")]
    [InlineData("1.5G")]
    [InlineData("256K")]
    [InlineData("256KB")]
    [InlineData("256B")]
    [InlineData("1T")]
    [InlineData("256 M")]
    [InlineData("M256")]
    [InlineData("abc")]
    [InlineData("2097152G")]
    [InlineData("99999999999")]
    public void TryParse_AnythingElse_IsRejected(string? text)
    {
        Assert.False(MemorySize.TryParse(text, out _));
    }

    [Fact]
    public void Parse_InvalidSize_ThrowsUsageErrorNamingAcceptedForms()
    {
        var error = Assert.Throws<UsageException>(() => MemorySize.Parse("12X"));

        Assert.Equal(2, error.ExitCode);
        Assert.Contains("'12X'", error.Message);
        Assert.Contains("256M, 256MB, 1G, 1GB, or 512", error.Message);
    }

    [Theory]
    [InlineData(256, "256M")]
    [InlineData(1024, "1G")]
    [InlineData(1536, "1536M")]
    [InlineData(4096, "4G")]
    public void Format_Megabytes_ReadsLikeInput(int mb, string expected)
    {
        Assert.Equal(expected, MemorySize.Format(mb));
        Assert.True(MemorySize.TryParse(expected, out var back));
        Assert.Equal(mb, back);
    }
}
