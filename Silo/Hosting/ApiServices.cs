using System.Text.Json;
using System.Text.Json.Serialization;
using Granary.Silo.Apis;
using Granary.Silo.Auth;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http.Json;

namespace Granary.Silo.Hosting;

/// <summary>The controller's HTTP API: JSON conventions, auth, ProblemDetails, OpenAPI.</summary>
public static class ApiServices
{
    public static IServiceCollection AddGranaryApi(this IServiceCollection services)
    {
        services.Configure<JsonOptions>(o => Configure(o.SerializerOptions));
        services.AddProblemDetails();
        services.AddExceptionHandler<ProblemMapping>();
        services.AddAuthentication(GranaryAuthentication.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, GranaryAuthentication>(GranaryAuthentication.SchemeName, null);
        var admin = new AuthorizationPolicyBuilder().RequireAuthenticatedUser().RequireRole(GranaryClaims.AdminRole).Build();
        services.AddAuthorizationBuilder()
            .AddPolicy(GranaryClaims.AdminPolicy, admin)
            .AddPolicy(GranaryClaims.UserPolicy, p => p.RequireAuthenticatedUser().RequireAssertion(c => !c.User.IsInRole(GranaryClaims.JoinerRole)))
            .AddPolicy(GranaryClaims.JoinPolicy, p => p.RequireAuthenticatedUser().RequireRole(GranaryClaims.AdminRole, GranaryClaims.JoinerRole))
            .SetFallbackPolicy(admin);
        services.AddOpenApi();
        return services;
    }

    /// <summary>camelCase names, UPPER_CASE enums, and unknown fields refused (a typo must not be silently ignored).</summary>
    public static void Configure(JsonSerializerOptions options)
    {
        options.PropertyNamingPolicy = JsonNamingPolicy.CamelCase;
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseUpper, allowIntegerValues: false));
        options.UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow;
    }
}
