using System.Net;
using Granary.Cli.Api;

namespace Granary.Cli.Config;

/// <summary>
/// Keeps a logged-in user's access token fresh: a minute before it expires, the stored refresh token (which works
/// once) buys a new pair, saved to <c>config.json</c> at once. Another granary command may have renewed first, so the
/// file is read again before and after: its newer tokens are used rather than spending a refresh token twice.
/// </summary>
internal sealed class SessionRenewal(ConfigStore store, string api, CliConfig loaded)
{
    public static readonly TimeSpan Margin = TimeSpan.FromMinutes(1);

    private CliConfig _current = loaded;

    /// <summary>Pure: whether a token that expires at <paramref name="expiresAt"/> should be renewed at <paramref name="now"/>.</summary>
    public static bool IsDue(CliConfig config, DateTimeOffset now) =>
        config.RefreshToken is not null && config.TokenExpiresAt is { } expires && now >= expires - Margin;

    public bool IsDue(DateTimeOffset now) => IsDue(_current, now);

    public async Task<string> RenewAsync(CancellationToken ct)
    {
        if (NewerInFile() is { } fresher)
            return Use(fresher);
        using var client = new GranaryApiClient(api, null);
        TokenResponse tokens;
        try
        {
            tokens = await client.RefreshAsync(_current.RefreshToken!, ct);
        }
        catch (ApiException e) when (e.Status is HttpStatusCode.Unauthorized or HttpStatusCode.BadRequest)
        {
            if (NewerInFile() is { } renewedMeanwhile)
                return Use(renewedMeanwhile);
            store.Save(store.LoadFile().LoggedOut());
            throw new CliException($"your session as {_current.User ?? "this user"} has ended ({e.Message.TrimEnd('.')}); log in again: ./granary login -u {_current.User ?? "NAME"}");
        }

        var saved = store.LoadFile() with
        {
            Api = api,
            Token = tokens.AccessToken,
            RefreshToken = tokens.RefreshToken,
            TokenExpiresAt = tokens.AccessExpiresAt,
            User = tokens.User.Name,
        };
        store.Save(saved);
        return Use(saved);
    }

    private CliConfig? NewerInFile()
    {
        var file = store.LoadFile();
        return file.RefreshToken is not null && file.RefreshToken != _current.RefreshToken && !IsDue(file, DateTimeOffset.UtcNow) ? file : null;
    }

    private string Use(CliConfig config)
    {
        _current = config;
        return config.Token!;
    }
}
