using Granary.Users;

namespace Granary.Tests.Users;

[Collection(UsersCollection.Name)]
public sealed class UserDirectoryTests(UsersCluster cluster)
{
    private const string Password = "correct horse battery";

    [Fact]
    public async Task Login_RightPassword_AccessTokenAuthenticatesTheUser()
    {
        var directory = cluster.NewDirectory();
        var alice = await directory.Create("Alice", Password, admin: false, actor: "admin");

        var tokens = await LoginAsync(directory, "alice", Password);
        var caller = await cluster.Session(tokens.AccessToken, SessionTokenFormat.AccessPrefix).Authenticate(UsersCluster.Secret(tokens.AccessToken));

        Assert.Equal("alice", alice.Name);
        Assert.Equal(new Caller(alice.Id, "alice", false, caller!.SessionId), caller);
    }

    [Theory]
    [InlineData("alice", "wrong password")]
    [InlineData("nobody", Password)]
    public async Task CheckPassword_WrongNameOrPassword_Null(string name, string password)
    {
        var directory = cluster.NewDirectory();
        await directory.Create("alice", Password, admin: false, actor: "admin");

        Assert.Null(await directory.CheckPassword(name, password));
    }

    [Fact]
    public async Task AccessToken_PastItsLifetime_RefusedAndRefreshGivesANewOne()
    {
        var directory = cluster.NewDirectory();
        await directory.Create("bob", Password, admin: false, actor: "admin");
        var tokens = await LoginAsync(directory, "bob", Password);
        var session = cluster.Session(tokens.AccessToken, SessionTokenFormat.AccessPrefix);

        cluster.Time.Advance(TimeSpan.FromHours(1) + TimeSpan.FromSeconds(1));

        Assert.Null(await session.Authenticate(UsersCluster.Secret(tokens.AccessToken)));
        var refreshed = await session.Refresh(UsersCluster.Secret(tokens.RefreshToken));
        Assert.NotNull(refreshed);
        Assert.NotNull(await session.Authenticate(UsersCluster.Secret(refreshed.AccessToken)));
        // A refresh token works once: a stolen copy used after its owner refreshed gets nothing.
        Assert.Null(await session.Refresh(UsersCluster.Secret(tokens.RefreshToken)));
    }

    [Fact]
    public async Task Revoke_Session_NeitherTokenWorks()
    {
        var directory = cluster.NewDirectory();
        await directory.Create("carol", Password, admin: false, actor: "admin");
        var tokens = await LoginAsync(directory, "carol", Password);
        var session = cluster.Session(tokens.AccessToken, SessionTokenFormat.AccessPrefix);

        await session.Revoke();

        Assert.Null(await session.Authenticate(UsersCluster.Secret(tokens.AccessToken)));
        Assert.Null(await session.Refresh(UsersCluster.Secret(tokens.RefreshToken)));
    }

    [Fact]
    public async Task SetPassword_EndsEverySessionAndOnlyTheNewPasswordWorks()
    {
        var directory = cluster.NewDirectory();
        await directory.Create("dave", Password, admin: false, actor: "admin");
        var first = await LoginAsync(directory, "dave", Password);
        var second = await LoginAsync(directory, "dave", Password);

        await directory.SetPassword("dave", "a new long password", "admin");

        foreach (var tokens in new[] { first, second })
            Assert.Null(await cluster.Session(tokens.AccessToken, SessionTokenFormat.AccessPrefix).Authenticate(UsersCluster.Secret(tokens.AccessToken)));
        Assert.Null(await directory.CheckPassword("dave", Password));
        Assert.NotNull(await directory.CheckPassword("dave", "a new long password"));
    }

    [Fact]
    public async Task Delete_User_EndsItsSessionsAndItCannotLogIn()
    {
        var directory = cluster.NewDirectory();
        await directory.Create("root", Password, admin: true, actor: "setup");
        await directory.Create("erin", Password, admin: false, actor: "root");
        var tokens = await LoginAsync(directory, "erin", Password);

        await directory.Delete("erin", "root");

        Assert.Null(await cluster.Session(tokens.AccessToken, SessionTokenFormat.AccessPrefix).Authenticate(UsersCluster.Secret(tokens.AccessToken)));
        Assert.Null(await directory.CheckPassword("erin", Password));
        Assert.DoesNotContain(await directory.List(), u => u.Name == "erin");
    }

    [Fact]
    public async Task Delete_LastAdmin_RefusedNamingWhatToDo()
    {
        var directory = cluster.NewDirectory();
        await directory.Create("root", Password, admin: true, actor: "setup");

        var refused = await Assert.ThrowsAsync<UserConflictException>(() => directory.Delete("root", "root"));

        Assert.Contains("last admin", refused.Message);
    }

    [Theory]
    [InlineData("alice", "short", "too short")]
    [InlineData("-alice", Password, "not a user name")]
    [InlineData("al ice", Password, "not a user name")]
    [InlineData("", Password, "not a user name")]
    public async Task Create_BadNameOrPassword_RefusedSayingWhy(string name, string password, string reason)
    {
        var refused = await Assert.ThrowsAsync<InvalidUserException>(() => cluster.NewDirectory().Create(name, password, false, "admin"));

        Assert.Contains(reason, refused.Message);
    }

    [Fact]
    public async Task Create_NameTakenInAnyCase_Conflict()
    {
        var directory = cluster.NewDirectory();
        await directory.Create("frank", Password, admin: false, actor: "admin");

        await Assert.ThrowsAsync<UserConflictException>(() => directory.Create("FRANK", Password, false, "admin"));
    }

    [Fact]
    public async Task StoredState_AfterLoginAndRefresh_HoldsNoPasswordAndNoToken()
    {
        var directory = cluster.NewDirectory();
        const string secretPassword = "a very distinctive password 42";
        await directory.Create("grace", secretPassword, admin: false, actor: "admin");
        var tokens = await LoginAsync(directory, "grace", secretPassword);
        var refreshed = await cluster.Session(tokens.RefreshToken, SessionTokenFormat.RefreshPrefix).Refresh(UsersCluster.Secret(tokens.RefreshToken));

        var stored = string.Join("\n", cluster.Storage.AllJson);

        Assert.Contains("grace", stored);
        Assert.DoesNotContain(secretPassword, stored);
        foreach (var token in new[] { tokens.AccessToken, tokens.RefreshToken, refreshed!.AccessToken, refreshed.RefreshToken })
        {
            Assert.DoesNotContain(UsersCluster.Secret(token), stored);
        }
    }

    private async Task<SessionTokens> LoginAsync(IUserDirectoryGrain directory, string name, string password)
    {
        var user = await directory.CheckPassword(name, password);
        Assert.NotNull(user);
        return await directory.OpenSession(user.Id);
    }
}
