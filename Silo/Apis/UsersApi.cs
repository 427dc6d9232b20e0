using Granary.Silo.Auth;
using Granary.Users;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Granary.Silo.Apis;

/// <summary>POST /v1/users: a new user; <c>admin</c> makes a cluster admin.</summary>
public sealed record CreateUserBody(string? Name, string? Password, bool Admin = false);

/// <summary>PUT /v1/users/{name}/password: the new password, and the current one when users change their own.</summary>
public sealed record SetPasswordBody(string? Password, string? CurrentPassword = null);

/// <summary>/v1/users: cluster admins manage users; every user may change their own password.</summary>
public static class UsersApi
{
    public static RouteGroupBuilder MapUsersApi(this RouteGroupBuilder v1)
    {
        var users = v1.MapGroup("/users").WithTags("Users");
        users.MapGet("/", List);
        users.MapPost("/", Create);
        users.MapDelete("/{name}", Delete);
        users.MapPut("/{name}/password", SetPassword).RequireAuthorization(GranaryClaims.UserPolicy);
        return v1;
    }

    private static ProblemHttpResult MissingPassword() =>
        TypedResults.Problem(statusCode: 400, title: "Missing field", detail: "Send {\"password\": NEW, \"currentPassword\": CURRENT}.");

    private static IUserDirectoryGrain Directory(IGrainFactory grains) => grains.GetGrain<IUserDirectoryGrain>(IUserDirectoryGrain.Key);

    private static async Task<Ok<List<UserView>>> List(IGrainFactory grains) =>
        TypedResults.Ok((await Directory(grains).List()).Select(UserView.From).ToList());

    private static async Task<Results<Created<UserView>, ProblemHttpResult>> Create(CreateUserBody body, HttpContext http, IGrainFactory grains)
    {
        if (string.IsNullOrWhiteSpace(body.Name) || body.Password is null)
            return TypedResults.Problem(statusCode: 400, title: "Missing field", detail: "Send {\"name\": NAME, \"password\": PASSWORD} (and \"admin\": true for a cluster admin).");
        var user = await Directory(grains).Create(body.Name, body.Password, body.Admin, GranaryClaims.NameOf(http.User));
        return TypedResults.Created($"/v1/users/{user.Name}", UserView.From(user));
    }

    /// <summary>Deletes the user (ending their sessions), then their roles in every org and space.</summary>
    private static async Task<NoContent> Delete(string name, HttpContext http, IGrainFactory grains)
    {
        var user = (await Directory(grains).List()).FirstOrDefault(u => u.Name == UserRules.NormalizeName(name));
        await Directory(grains).Delete(name, GranaryClaims.NameOf(http.User));
        if (user is not null)
            await grains.GetGrain<Granary.Tenancy.ITenancyGrain>(Granary.Tenancy.ITenancyGrain.Key).ForgetUser(user.Id);
        return TypedResults.NoContent();
    }

    /// <summary>
    /// Admins set anyone's password. Users set their own and prove it with the current one, so a token left on a
    /// shared screen cannot lock its owner out. Every session of the user ends: they log in again.
    /// </summary>
    private static async Task<Results<NoContent, ProblemHttpResult>> SetPassword(string name, SetPasswordBody body, HttpContext http, IGrainFactory grains)
    {
        var caller = GranaryClaims.NameOf(http.User);
        var directory = Directory(grains);
        if (!GranaryClaims.IsAdmin(http.User))
        {
            if (!string.Equals(UserRules.NormalizeName(name), caller, StringComparison.Ordinal))
                return TypedResults.Problem(statusCode: 403, title: "Forbidden", detail: "Only a cluster admin can set another user's password.");
            if (body.Password is null)
                return MissingPassword();
            if (body.CurrentPassword is null || await directory.CheckPassword(caller, body.CurrentPassword) is null)
                return TypedResults.Problem(statusCode: 403, title: "Current password wrong", detail: "Send your current password as \"currentPassword\" to set a new one.");
        }

        if (body.Password is null)
            return MissingPassword();
        await directory.SetPassword(name, body.Password, caller);
        return TypedResults.NoContent();
    }
}
