using Granary.Silo.Apis;
using Granary.Silo.Persistence;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Orleans.Serialization;

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

    /// <summary>The API on one silo, the grain whose save failed on another: the failure crosses as itself.</summary>
    [Fact]
    public void DatabaseFailure_SentBetweenSilos_StillDescribedAs503()
    {
        var failure = new OrleansException("Error from storage provider AdoNetGrainStorage.app during WriteStateAsync",
            new PostgresException("sorry, too many clients already", "FATAL", "FATAL", "53300"));
        var serializer = new ServiceCollection()
            .AddSerializer()
            .Configure<ExceptionSerializationOptions>(DatabaseOutage.CrossSilos)
            .BuildServiceProvider()
            .GetRequiredService<Serializer>();

        var received = serializer.Deserialize<Exception>(serializer.SerializeToArray<Exception>(failure));

        Assert.Equal(503, ProblemMapping.Describe(received!).Status);
        Assert.Contains("too many clients", received!.InnerException!.Message);
    }

    [Fact]
    public void Describe_OrleansFailureWithoutDatabase_StaysControlPlaneUnavailable() =>
        Assert.Equal("Control plane unavailable", ProblemMapping.Describe(new OrleansException("silo gone")).Title);
}
