using Granary.Edge.Routing;
using Granary.Edge.Traffic;
using Granary.Routes;
using Microsoft.Extensions.Time.Testing;
using Yarp.ReverseProxy.Forwarder;

namespace Granary.Tests.Edge;

public sealed class LoadBalancerTests
{
    private static Backend[] Backends(int count) =>
        [.. Enumerable.Range(0, count).Select(i => new Backend(Guid.NewGuid(), i, $"http://127.0.0.1:{40000 + i}"))];

    [Fact]
    public void Choose_RoundRobin_EachInTurn()
    {
        var backends = Backends(3);

        var chosen = Enumerable.Range(0, 6).Select(turn => LoadBalancer.Choose(backends, LoadBalancing.RoundRobin, (uint)turn).Index);

        Assert.Equal([0, 1, 2, 0, 1, 2], chosen);
    }

    [Fact]
    public void Choose_RoundRobinPastUintMax_WrapsWithoutThrowing()
    {
        var backends = Backends(3);

        Assert.Equal((int)(uint.MaxValue % 3), LoadBalancer.Choose(backends, LoadBalancing.RoundRobin, uint.MaxValue).Index);
    }

    [Fact]
    public void Choose_LeastRequests_TheLeastBusy()
    {
        var backends = Backends(3);
        backends[0].RequestStarted();
        backends[0].RequestStarted();
        backends[2].RequestStarted();

        Assert.All(Enumerable.Range(0, 6), turn => Assert.Equal(1, LoadBalancer.Choose(backends, LoadBalancing.LeastRequests, (uint)turn).Index));
    }

    [Fact]
    public void Choose_LeastRequestsAllIdle_StillRotates()
    {
        var backends = Backends(3);

        var chosen = Enumerable.Range(0, 3).Select(turn => LoadBalancer.Choose(backends, LoadBalancing.LeastRequests, (uint)turn).Index);

        Assert.Equal([0, 1, 2], chosen);
    }

    [Fact]
    public void Choose_RequestEnded_NoLongerCounted()
    {
        var backends = Backends(2);
        backends[0].RequestStarted();
        backends[0].RequestEnded();

        Assert.Equal(0, backends[0].InFlight);
        Assert.Equal(0, LoadBalancer.Choose(backends, LoadBalancing.LeastRequests, 0).Index);
    }

    [Fact]
    public void ByAffinity_CookieOfACandidate_ThatOne()
    {
        var backends = Backends(3);

        Assert.Same(backends[2], LoadBalancer.ByAffinity(backends, backends[2].AffinityKey));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("0123456789abcdef")]
    public void ByAffinity_NoOrUnknownCookie_None(string? cookie) => Assert.Null(LoadBalancer.ByAffinity(Backends(3), cookie));

    [Fact]
    public void Candidates_NoneEjectedNoneTried_TheSameArray()
    {
        var backends = Backends(3);

        Assert.Same(backends, LoadBalancer.Candidates(backends, [], 0));
    }

    [Fact]
    public void Candidates_Tried_LeftOut()
    {
        var backends = Backends(3);

        Assert.Equal([0, 2], LoadBalancer.Candidates(backends, [backends[1]], 0).Select(b => b.Index));
    }

    [Fact]
    public void Candidates_Ejected_LeftOutUntilTheEjectionEnds()
    {
        var time = new FakeTimeProvider();
        var backends = Backends(3);
        backends[1].Health.Report(AttemptOutcome.Refused, time.GetTimestamp(), time);

        Assert.Equal([0, 2], LoadBalancer.Candidates(backends, [], time.GetTimestamp()).Select(b => b.Index));
        time.Advance(PassiveHealthPolicy.EjectionPeriod);
        Assert.Same(backends, LoadBalancer.Candidates(backends, [], time.GetTimestamp()));
    }

    [Fact]
    public void Candidates_EveryUntriedEjected_AllUntriedRatherThanNone()
    {
        var time = new FakeTimeProvider();
        var backends = Backends(3);
        backends[0].Health.Report(AttemptOutcome.Refused, time.GetTimestamp(), time);
        backends[1].Health.Report(AttemptOutcome.Refused, time.GetTimestamp(), time);

        Assert.Equal([0, 1], LoadBalancer.Candidates(backends, [backends[2]], time.GetTimestamp()).Select(b => b.Index));
    }
}

public sealed class PassiveHealthTests
{
    [Theory]
    [InlineData(AttemptOutcome.Refused, 1, 1, true)]
    [InlineData(AttemptOutcome.ConnectTimeout, 1, 1, true)]
    [InlineData(AttemptOutcome.TransportFailure, 4, 4, false)]
    [InlineData(AttemptOutcome.TransportFailure, 5, 2, true)]
    [InlineData(AttemptOutcome.TransportFailure, 10, 3, false)]
    [InlineData(AttemptOutcome.TransportFailure, 10, 4, true)]
    [InlineData(AttemptOutcome.Success, 10, 9, false)]
    [InlineData(AttemptOutcome.ClientFailure, 10, 10, false)]
    public void ShouldEject_ByOutcomeAndRate(AttemptOutcome outcome, int requests, int failures, bool expected) =>
        Assert.Equal(expected, PassiveHealthPolicy.ShouldEject(outcome, requests, failures));

    [Fact]
    public void Classify_Errors()
    {
        var refused = new HttpRequestException(HttpRequestError.ConnectionError, "refused", new System.Net.Sockets.SocketException((int)System.Net.Sockets.SocketError.ConnectionRefused));
        Assert.Equal(AttemptOutcome.Success, PassiveHealthPolicy.Classify(ForwarderError.None, null));
        Assert.Equal(AttemptOutcome.Refused, PassiveHealthPolicy.Classify(ForwarderError.Request, refused));
        Assert.Equal(AttemptOutcome.ConnectTimeout, PassiveHealthPolicy.Classify(ForwarderError.RequestTimedOut, new TaskCanceledException("c", new TimeoutException())));
        Assert.Equal(AttemptOutcome.TransportFailure, PassiveHealthPolicy.Classify(ForwarderError.RequestTimedOut, new TaskCanceledException("c")));
        Assert.Equal(AttemptOutcome.TransportFailure, PassiveHealthPolicy.Classify(ForwarderError.ResponseHeaders, new HttpRequestException("ended")));
        Assert.Equal(AttemptOutcome.ClientFailure, PassiveHealthPolicy.Classify(ForwarderError.RequestBodyClient, null));
        Assert.Equal(AttemptOutcome.ClientFailure, PassiveHealthPolicy.Classify(ForwarderError.ResponseBodyClient, null));
    }

    [Fact]
    public void Report_FailuresAboveTheRate_EjectedOnceThenBackAfterThePeriod()
    {
        var time = new FakeTimeProvider();
        var health = new PassiveHealth();

        var ejections = Enumerable.Range(0, 5).Count(_ => health.Report(AttemptOutcome.TransportFailure, time.GetTimestamp(), time));

        Assert.Equal(1, ejections);
        Assert.True(health.IsEjected(time.GetTimestamp()));
        time.Advance(PassiveHealthPolicy.EjectionPeriod);
        Assert.False(health.IsEjected(time.GetTimestamp()));
    }

    [Fact]
    public void Report_OneFailureInFive_NeverEjected()
    {
        var time = new FakeTimeProvider();
        var health = new PassiveHealth();

        for (var i = 0; i < 20; i++)
        {
            Assert.False(health.Report(i % 5 == 4 ? AttemptOutcome.TransportFailure : AttemptOutcome.Success, time.GetTimestamp(), time));
            time.Advance(TimeSpan.FromSeconds(1));
        }
    }
}
