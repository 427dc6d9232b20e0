using System.Collections.Immutable;
using Granary.Apps;

namespace Granary.Tests.Apps;

public sealed class AppChangesTests
{
    private static readonly AppSpec Spec =
        new("web", 1, 256, ImmutableDictionary<string, string>.Empty.Add("SECRET", "hunter2"), "node a.js", HealthCheckSpec.Default, AppState.Started);

    [Fact]
    public void Apply_EmptyUpdate_SameSpec() => Assert.Equal(Spec, AppChanges.Apply(Spec, new AppUpdate()));

    [Fact]
    public void Apply_ClearCommand_CommandGone() => Assert.Null(AppChanges.Apply(Spec, new AppUpdate(ClearCommand: true)).Command);

    [Fact]
    public void Describe_Scale_OneScaledEvent()
    {
        var change = Assert.Single(AppChanges.Describe(Spec, Spec with { Instances = 3 }));

        Assert.Equal((AppEventTypes.Scaled, "scaled from 1 x 256 MB to 3 x 256 MB"), change);
    }

    [Fact]
    public void Describe_Stop_StoppedEvent() =>
        Assert.Equal(AppEventTypes.Stopped, Assert.Single(AppChanges.Describe(Spec, Spec with { State = AppState.Stopped })).Type);

    [Fact]
    public void Describe_EnvChange_NamesKeysNeverValues()
    {
        var after = Spec with { Env = ImmutableDictionary<string, string>.Empty.Add("SECRET", "changed").Add("NEW", "v") };

        var (type, message) = Assert.Single(AppChanges.Describe(Spec, after));

        Assert.Equal(AppEventTypes.Updated, type);
        Assert.Equal("environment changed (set NEW, SECRET)", message);
        Assert.DoesNotContain("changed\"", message);
        Assert.DoesNotContain("hunter2", message);
    }
}

public sealed class AppSpecEqualityTests
{
    [Fact]
    public void Equals_SameEnvInANewDictionary_Equal()
    {
        var a = new AppSpec("web", 1, 256, ImmutableDictionary<string, string>.Empty.Add("K", "v"), null, HealthCheckSpec.Default, AppState.Started);
        var b = a with { Env = ImmutableDictionary<string, string>.Empty.Add("K", "v") };

        Assert.Equal(a, b);
        Assert.NotEqual(a, b with { Env = b.Env.SetItem("K", "w") });
    }
}
