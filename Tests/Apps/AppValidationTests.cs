using System.Collections.Immutable;
using Granary.Apps;

namespace Granary.Tests.Apps;

public sealed class AppValidationTests
{
    private static AppSpec Valid() =>
        new("node-hello", 1, 256, ImmutableDictionary<string, string>.Empty, null, HealthCheckSpec.Default, AppState.Started);

    [Theory]
    [InlineData("a")]
    [InlineData("node-hello")]
    [InlineData("app2")]
    public void Validate_GoodName_NoErrors(string name) =>
        Assert.Empty(AppValidation.Validate(Valid() with { Name = name }));

    [Theory]
    [InlineData("")]
    [InlineData("Node")]
    [InlineData("2app")]
    [InlineData("app-")]
    [InlineData("my_app")]
    [InlineData("my.app")]
    [InlineData("../etc")]
    [InlineData("a234567890123456789012345678901234567890123456789012345678901234")]
    public void Validate_BadName_NameError(string name)
    {
        var errors = AppValidation.Validate(Valid() with { Name = name });

        Assert.Contains("not a valid app name", Assert.Single(errors["name"]));
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(AppValidation.MaxInstances + 1)]
    public void Validate_InstancesOutOfRange_Error(int instances) =>
        Assert.True(AppValidation.Validate(Valid() with { Instances = instances }).ContainsKey("instances"));

    [Theory]
    [InlineData(0)]
    [InlineData(AppValidation.MaxMemoryMb + 1)]
    public void Validate_MemoryOutOfRange_Error(int memory) =>
        Assert.True(AppValidation.Validate(Valid() with { MemoryMb = memory }).ContainsKey("memoryMb"));

    [Theory]
    [InlineData("PORT")]
    [InlineData("HOME")]
    [InlineData("GRANARY_APPLICATION")]
    public void Validate_ReservedEnv_RefusedWithReason(string key)
    {
        var errors = AppValidation.Validate(Valid() with { Env = ImmutableDictionary<string, string>.Empty.Add(key, "x") });

        Assert.Contains("set by Granary itself", Assert.Single(errors["env"]));
    }

    [Fact]
    public void Validate_EnvKeyWithDash_Refused() =>
        Assert.True(AppValidation.Validate(Valid() with { Env = ImmutableDictionary<string, string>.Empty.Add("A-B", "x") }).ContainsKey("env"));

    [Fact]
    public void Validate_HttpCheckWithoutPath_Refused() =>
        Assert.True(AppValidation.Validate(Valid() with { HealthCheck = new HealthCheckSpec(HealthCheckType.Http, null, 30) })
            .ContainsKey("healthCheck.path"));

    [Fact]
    public void Validate_BlankCommand_Refused() =>
        Assert.True(AppValidation.Validate(Valid() with { Command = "  " }).ContainsKey("command"));

    [Fact]
    public void Validate_SeveralProblems_AllReported()
    {
        var errors = AppValidation.Validate(Valid() with { Name = "Bad", Instances = -1, MemoryMb = 1 });

        Assert.Equal(["instances", "memoryMb", "name"], errors.Keys.Order());
    }
}
