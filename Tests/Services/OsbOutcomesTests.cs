using Granary.Services;

namespace Granary.Tests.Services;

/// <summary>The spec's orphan-mitigation table, row by row.</summary>
public sealed class OsbOutcomesTests
{
    [Theory]
    [InlineData(OsbRequestKind.Provision, 201, "{}", OsbVerdict.Done, false)]
    [InlineData(OsbRequestKind.Provision, 200, "{}", OsbVerdict.Done, false)]
    [InlineData(OsbRequestKind.Provision, 202, "{\"operation\":\"x\"}", OsbVerdict.Accepted, false)]
    [InlineData(OsbRequestKind.Provision, 201, "not json", OsbVerdict.Failed, true)]
    [InlineData(OsbRequestKind.Provision, 204, "", OsbVerdict.Failed, true)]
    [InlineData(OsbRequestKind.Provision, 500, "{}", OsbVerdict.Failed, true)]
    [InlineData(OsbRequestKind.Provision, 408, "{}", OsbVerdict.Failed, false)]
    [InlineData(OsbRequestKind.Provision, 409, "{}", OsbVerdict.Rejected, false)]
    [InlineData(OsbRequestKind.Provision, 422, "{\"error\":\"AsyncRequired\"}", OsbVerdict.Rejected, false)]
    [InlineData(OsbRequestKind.Provision, 200, "[1]", OsbVerdict.Failed, false)]
    [InlineData(OsbRequestKind.Bind, 201, "{\"credentials\":{}}", OsbVerdict.Done, false)]
    [InlineData(OsbRequestKind.Bind, 201, "{\"credentials\":\"x\"}", OsbVerdict.Failed, true)]
    [InlineData(OsbRequestKind.Bind, 503, "", OsbVerdict.Failed, true)]
    [InlineData(OsbRequestKind.Deprovision, 410, "{}", OsbVerdict.Gone, false)]
    [InlineData(OsbRequestKind.Deprovision, 500, "{}", OsbVerdict.Failed, false)]
    [InlineData(OsbRequestKind.Unbind, 410, "{}", OsbVerdict.Gone, false)]
    [InlineData(OsbRequestKind.Unbind, 200, "{}", OsbVerdict.Done, false)]
    public void Classify_StatusAndBody_GiveVerdictAndMitigation(OsbRequestKind kind, int status, string body, OsbVerdict verdict, bool mitigate)
    {
        var outcome = OsbOutcomes.Classify(kind, new OsbReply(status, body));

        Assert.Equal(verdict, outcome.Verdict);
        Assert.Equal(mitigate, outcome.MitigateOrphan);
    }

    [Theory]
    [InlineData(OsbRequestKind.Provision, true)]
    [InlineData(OsbRequestKind.Bind, true)]
    [InlineData(OsbRequestKind.Deprovision, false)]
    [InlineData(OsbRequestKind.Unbind, false)]
    public void Classify_NoAnswer_MitigatesOnlyCreates(OsbRequestKind kind, bool mitigate)
    {
        var outcome = OsbOutcomes.Classify(kind, OsbReply.NoAnswer("timed out"));

        Assert.Equal(OsbVerdict.Failed, outcome.Verdict);
        Assert.Equal(mitigate, outcome.MitigateOrphan);
    }

    [Fact]
    public void Describe_ErrorAndDescription_AreBothShown() =>
        Assert.Equal("AsyncRequired: send accepts_incomplete", OsbOutcomes.Describe(422, OsbOutcomes.ParseObject("{\"error\":\"AsyncRequired\",\"description\":\"send accepts_incomplete\"}")));

    [Theory]
    [InlineData(OsbRequestKind.Provision, 200, "{\"state\":\"succeeded\"}", BrokerOperationState.Succeeded)]
    [InlineData(OsbRequestKind.Provision, 200, "{\"state\":\"failed\",\"description\":\"no disk\"}", BrokerOperationState.Failed)]
    [InlineData(OsbRequestKind.Provision, 200, "{\"state\":\"in progress\"}", BrokerOperationState.InProgress)]
    [InlineData(OsbRequestKind.Deprovision, 410, "{}", BrokerOperationState.Succeeded)]
    public void LastOperation_ValidAnswers_EndOrContinue(OsbRequestKind kind, int status, string body, BrokerOperationState expected) =>
        Assert.Equal(expected, LastOperation.Interpret(kind, new OsbReply(status, body))!.State);

    [Theory]
    [InlineData(OsbRequestKind.Provision, 410, "{}")]
    [InlineData(OsbRequestKind.Provision, 500, "{}")]
    [InlineData(OsbRequestKind.Provision, 200, "{\"state\":\"unknown\"}")]
    [InlineData(OsbRequestKind.Provision, null, "")]
    public void LastOperation_InvalidAnswers_KeepPolling(OsbRequestKind kind, int? status, string body) =>
        Assert.Null(LastOperation.Interpret(kind, new OsbReply(status, body)));

    [Fact]
    public void OrphanBackoff_Doubles_UpToFiveMinutes()
    {
        var first = TimeSpan.FromSeconds(5);
        Assert.Equal(first, ServiceBrokerGrain.OrphanBackoff(first, 1));
        Assert.Equal(TimeSpan.FromSeconds(20), ServiceBrokerGrain.OrphanBackoff(first, 3));
        Assert.Equal(TimeSpan.FromMinutes(5), ServiceBrokerGrain.OrphanBackoff(first, 40));
    }
}
