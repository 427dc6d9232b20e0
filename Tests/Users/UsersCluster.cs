using System.Collections.Concurrent;
using System.Text.Json;
using Granary.Silo.Auth;
using Granary.Users;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Orleans.Storage;
using Orleans.TestingHost;

namespace Granary.Tests.Users;

/// <summary>
/// One in-process silo running the user directory and session grains with the real password hasher, a clock the
/// tests move, and grain storage that keeps each record as the JSON PostgreSQL would hold, so tests can read it.
/// </summary>
public sealed class UsersCluster : IAsyncLifetime
{
    public FakeTimeProvider Time { get; } = new(DateTimeOffset.Parse("2026-12-01T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture));

    public JsonTestStorage Storage { get; } = new();

    public InProcessTestCluster Cluster { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var builder = new InProcessTestClusterBuilder(1);
        builder.ConfigureSilo((_, silo) =>
        {
            silo.Services.AddKeyedSingleton<IGrainStorage>(GrainStorage.Name, Storage);
            silo.Services.AddSingleton<TimeProvider>(Time);
            silo.Services.AddSingleton<IPasswordHashing, IdentityPasswordHashing>();
            silo.Services.AddOptions<AuthOptions>();
        });
        Cluster = builder.Build();
        await Cluster.DeployAsync();
    }

    public async Task DisposeAsync() => await Cluster.DisposeAsync();

    /// <summary>A user directory of one test's own: the grain does not care about its key.</summary>
    public IUserDirectoryGrain NewDirectory() => Cluster.Client.GetGrain<IUserDirectoryGrain>("test-" + Guid.NewGuid().ToString("N"));

    public ISessionGrain Session(string token, string prefix)
    {
        Assert.True(SessionTokenFormat.TryParse(token, prefix, out var session, out _), $"not a {prefix} token: {token}");
        return Cluster.Client.GetGrain<ISessionGrain>(session);
    }

    public static string Secret(string token)
    {
        var prefix = token[..4];
        Assert.True(SessionTokenFormat.TryParse(token, prefix, out _, out var secret));
        return secret;
    }
}

/// <summary>Grain storage holding each record as System.Text.Json text, the form Granary stores in PostgreSQL.</summary>
public sealed class JsonTestStorage : IGrainStorage
{
    private static readonly JsonSerializerOptions Json = CreateOptions();

    private readonly ConcurrentDictionary<string, (string ETag, string Json)> _rows = new();

    /// <summary>Every stored record's JSON, for checks that no secret is stored in clear.</summary>
    public IEnumerable<string> AllJson => _rows.Values.Select(r => r.Json);

    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        if (_rows.TryGetValue($"{stateName}/{grainId}", out var row))
        {
            grainState.State = JsonSerializer.Deserialize<T>(row.Json, Json)!;
            grainState.ETag = row.ETag;
            grainState.RecordExists = true;
        }

        return Task.CompletedTask;
    }

    public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var etag = Guid.NewGuid().ToString("N");
        _rows[$"{stateName}/{grainId}"] = (etag, JsonSerializer.Serialize(grainState.State, Json));
        grainState.ETag = etag;
        grainState.RecordExists = true;
        return Task.CompletedTask;
    }

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        _rows.TryRemove($"{stateName}/{grainId}", out _);
        grainState.ETag = null;
        grainState.RecordExists = false;
        return Task.CompletedTask;
    }

    private static JsonSerializerOptions CreateOptions()
    {
        var options = new JsonSerializerOptions();
        GrainStorage.ConfigureJson(options);
        return options;
    }
}

[CollectionDefinition(Name)]
public sealed class UsersCollection : ICollectionFixture<UsersCluster>
{
    public const string Name = "users-cluster";
}
