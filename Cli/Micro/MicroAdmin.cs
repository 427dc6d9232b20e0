using System.Net;
using Granary.Cli.Api;
using Granary.Cli.Commands;

namespace Granary.Cli.Micro;

/// <summary>
/// The micro cloud's user <c>admin</c>: created on the first <c>micro up</c> with a random password kept owner-only in
/// <c>micro/admin-password</c>, and the CLI logged in as it. The node's admin token stays the bootstrap credential
/// (and the fallback when that password no longer works, e.g. after <c>granary passwd admin</c>).
/// </summary>
internal static class MicroAdmin
{
    public const string Name = "admin";

    /// <summary>The session of user admin, or null when it cannot be had (the caller keeps the admin token).</summary>
    public static async Task<TokenResponse?> LogInAsync(CommandContext ctx, GranaryApiClient adminTokenClient, string passwordFile, CancellationToken ct)
    {
        var password = AdminToken.LoadOrCreate(passwordFile);
        try
        {
            return await adminTokenClient.LoginAsync(Name, password, ct);
        }
        catch (ApiException e) when (e.Status == HttpStatusCode.Unauthorized)
        {
            // No such user yet (a new cloud, or an --ephemeral one that forgot it), or its password was changed.
        }

        try
        {
            await adminTokenClient.CreateUserAsync(Name, password, admin: true, ct);
            ctx.Console.Line($"Created user {Name} (cluster admin); its password is in {passwordFile}");
            return await adminTokenClient.LoginAsync(Name, password, ct);
        }
        catch (ApiException e) when (e.Status == HttpStatusCode.Conflict)
        {
            ctx.Console.Line($"The password in {passwordFile} no longer works for user {Name} (changed with ./granary passwd?): " +
                             $"the CLI uses the admin token instead; ./granary login -u {Name} with the new password logs in as {Name}");
            return null;
        }
    }
}
