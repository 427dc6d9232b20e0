using Granary.Cli.Api;
using Granary.Cli.Running;

namespace Granary.Tests.Cli;

public class InstanceProgressTests
{
    private static readonly DateTimeOffset T0 = new(2025, 1, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Evaluate_AllRunningWithoutBaseline_IsDone()
    {
        var app = TestApps.App("web", instances: 2, details:
            [TestApps.Instance(0, "RUNNING", "a", T0), TestApps.Instance(1, "RUNNING", "b", T0)]);

        var progress = InstanceProgress.Evaluate(app, InstanceBaseline.None);

        Assert.True(progress.Done);
        Assert.Equal(2, progress.Running);
    }

    [Fact]
    public void Evaluate_OldInstancesStillRunning_IsNotDone()
    {
        var before = TestApps.App("web", instances: 1, details: [TestApps.Instance(0, "RUNNING", "old", T0)]);
        var baseline = InstanceBaseline.Of(before);

        var progress = InstanceProgress.Evaluate(before, baseline);

        Assert.False(progress.Done);
        Assert.Equal(0, progress.Running);
    }

    [Fact]
    public void Evaluate_ReplacementRunning_IsDone()
    {
        var baseline = InstanceBaseline.Of(TestApps.App("web", details: [TestApps.Instance(0, "RUNNING", "old", T0)]));
        var after = TestApps.App("web", details:
            [TestApps.Instance(0, "STOPPING", "old", T0.AddSeconds(5)), TestApps.Instance(0, "RUNNING", "new", T0.AddSeconds(6))]);

        var progress = InstanceProgress.Evaluate(after, baseline);

        Assert.True(progress.Done);
    }

    [Fact]
    public void Evaluate_SameInstanceRestartedLater_CountsAsFresh()
    {
        var baseline = InstanceBaseline.Of(TestApps.App("web", details: [TestApps.Instance(0, "RUNNING", "i0", T0)]));
        var after = TestApps.App("web", details: [TestApps.Instance(0, "RUNNING", "i0", T0.AddSeconds(9))]);

        Assert.True(InstanceProgress.Evaluate(after, baseline).Done);
    }

    [Fact]
    public void Evaluate_NewCrash_IsReported()
    {
        var app = TestApps.App("web", instances: 2, details:
            [TestApps.Instance(0, "RUNNING", "a", T0), TestApps.Instance(1, "CRASHED", "b", T0, exit: 3)]);

        var progress = InstanceProgress.Evaluate(app, InstanceBaseline.None);

        Assert.False(progress.Done);
        Assert.Equal(1, progress.Crashed!.Index);
    }

    [Fact]
    public void Evaluate_CrashFromBeforeTheStart_IsIgnored()
    {
        var crashed = TestApps.Instance(0, "CRASHED", "a", T0, exit: 1);
        var baseline = InstanceBaseline.Of(TestApps.App("web", details: [crashed]));
        var app = TestApps.App("web", details: [crashed, TestApps.Instance(0, "STARTING", "b", T0.AddSeconds(1))]);

        var progress = InstanceProgress.Evaluate(app, baseline);

        Assert.Null(progress.Crashed);
        Assert.Equal(1, progress.Starting);
    }

    [Fact]
    public void Evaluate_DropletKnown_CountsOnlyInstancesOfTheNewDroplet()
    {
        var baseline = InstanceBaseline.Of(TestApps.App("web", details: [TestApps.Instance(0, "RUNNING", "old", T0, droplet: "h1")]));
        var app = TestApps.App("web", details:
            [TestApps.Instance(0, "RUNNING", "old", T0, droplet: "h1"), TestApps.Instance(0, "STARTING", "new", T0.AddSeconds(2), droplet: "h2")]);

        var progress = InstanceProgress.Evaluate(app, baseline, dropletHash: "h2");

        Assert.False(progress.Done);
        Assert.Equal(1, progress.Starting);
    }

    [Fact]
    public void Evaluate_SameDropletLeftRunning_IsDone()
    {
        var instance = TestApps.Instance(0, "RUNNING", "i", T0, droplet: "h1");
        var baseline = InstanceBaseline.Of(TestApps.App("web", details: [instance]));

        var progress = InstanceProgress.Evaluate(TestApps.App("web", details: [instance]), baseline, dropletHash: "h1");

        Assert.True(progress.Done);
    }

    [Fact]
    public void Evaluate_ZeroInstancesWanted_IsDone()
    {
        Assert.True(InstanceProgress.Evaluate(TestApps.App("web", instances: 0), InstanceBaseline.None).Done);
    }

    [Fact]
    public void Describe_MentionsStartingInstances()
    {
        Assert.Equal("1 of 3 instances running, 2 starting", new InstanceProgress(1, 2, 3, null).Describe());
        Assert.Equal("3 of 3 instances running", new InstanceProgress(3, 0, 3, null).Describe());
    }
}
