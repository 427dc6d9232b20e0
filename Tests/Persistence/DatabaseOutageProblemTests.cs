using Granary.Silo.Apis;
using Granary.Silo.Persistence;
using Npgsql;

namespace Granary.Tests.Persistence;

/// <summary>A database failure, however Orleans wraps it, reaches the user as a 503 that says what happened.</summary>
public sealed class DatabaseOutageProblemTests
{
    public static TheoryData<Exception> DatabaseFailures => new()
    {
        new NpgsqlException("Failed to connect to 127.0.0.1:5432"),
        new OrleansException("Error from storage provider AdoNetGrainStorage.app during WriteStateAsync", new NpgsqlException("Failed to connect")),
        new AggregateException(new InvalidOperationException("other"), new NpgsqlException("broken")),
    };

    [Theory]
    [MemberData(nameof(DatabaseFailures))]
    public void Describe_DatabaseFailure_Is503DatabaseUnavailable(Exception failure)
    {
        var (status, title, detail) = ProblemMapping.Describe(failure);

        Assert.Equal(503, status);
        Assert.Equal(DatabaseOutage.Title, title);
        Assert.Contains("nothing was changed", detail);
    }

    [Fact]
    public void Describe_OrleansFailureWithoutDatabase_StaysControlPlaneUnavailable() =>
        Assert.Equal("Control plane unavailable", ProblemMapping.Describe(new OrleansException("silo gone")).Title);
}
