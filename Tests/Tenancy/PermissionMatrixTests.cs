using System.Net;
using System.Text;
using Granary.Tests.Apis;
using Granary.Tests.Infrastructure;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace Granary.Tests.Tenancy;

/// <summary>
/// Every endpoint the API serves, from its own endpoint list, against callers who must not get through: no token, a
/// user with no role, a developer of another org, an auditor of the app's space, and a join token (which may read the
/// join details and the node list, and nothing else). An endpoint missing from the
/// table fails the test, so a new endpoint must say who may call it. What admins and developers may do is tested
/// where each feature is.
/// </summary>
[Collection(SiloCollection.Name)]
public sealed class PermissionMatrixTests(SiloFactory silo, ITestOutputHelper output)
{
    // Per caller: A = allowed (anything but 401/403/404), 1 = 401, 3 = 403, 4 = 404 (hidden), - = not sent (it
    // would end the caller's own session). Columns: anonymous, no role, developer of org B, auditor of org A's space.
    private static readonly Dictionary<string, string> Expected = new()
    {
        ["GET /v1/info"] = "AAAA",
        ["GET /healthz"] = "AAAA",
        ["GET /readyz"] = "AAAA",
        ["GET /openapi/{documentName}.json"] = "AAAA",
        ["GET /metrics"] = "1333",
        ["POST /v1/auth/login"] = "AAAA",
        ["POST /v1/auth/refresh"] = "AAAA",
        ["POST /v1/auth/logout"] = "1---",
        ["GET /v1/auth/me"] = "1AAA",
        ["GET /v1/users/"] = "1333",
        ["POST /v1/users/"] = "1333",
        ["DELETE /v1/users/{name}"] = "1333",
        ["PUT /v1/users/{name}/password"] = "1333",
        ["GET /v1/orgs/"] = "1AAA",
        ["POST /v1/orgs/"] = "1333",
        ["GET /v1/orgs/{org}"] = "144A",
        ["DELETE /v1/orgs/{org}"] = "1333",
        ["POST /v1/orgs/{org}/spaces"] = "1443",
        ["DELETE /v1/orgs/{org}/spaces/{space}"] = "1443",
        ["GET /v1/orgs/{org}/users"] = "144A",
        ["GET /v1/orgs/{org}/audit_events"] = "1443",
        ["GET /v1/quotas"] = "1333",
        ["POST /v1/quotas"] = "1333",
        ["GET /v1/space_quotas"] = "1333",
        ["POST /v1/space_quotas"] = "1333",
        ["PUT /v1/orgs/{org}/quota"] = "1333",
        ["PUT /v1/orgs/{org}/spaces/{space}/quota"] = "1443",
        ["GET /v1/orgs/{org}/usage"] = "144A",
        ["PUT /v1/orgs/{org}/users/{user}/roles/{role}"] = "1443",
        ["DELETE /v1/orgs/{org}/users/{user}/roles/{role}"] = "1443",
        ["GET /v1/orgs/{org}/spaces/{space}/users"] = "144A",
        ["PUT /v1/orgs/{org}/spaces/{space}/users/{user}/roles/{role}"] = "1443",
        ["DELETE /v1/orgs/{org}/spaces/{space}/users/{user}/roles/{role}"] = "1443",
        ["POST /v1/apps/"] = "1443",
        ["GET /v1/apps/"] = "1AAA",
        ["GET /v1/apps/{id:guid}"] = "144A",
        ["PATCH /v1/apps/{id:guid}"] = "1443",
        ["DELETE /v1/apps/{id:guid}"] = "1443",
        ["POST /v1/apps/{id:guid}/restart"] = "1443",
        ["GET /v1/apps/{id:guid}/instances"] = "144A",
        ["GET /v1/apps/{id:guid}/events"] = "144A",
        ["GET /v1/events"] = "144A",
        ["GET /v1/apps/{id:guid}/logs"] = "144A",
        ["GET /v1/apps/{id:guid}/crashes"] = "144A",
        ["GET /v1/apps/{id:guid}/stats"] = "144A",
        ["POST /v1/packages"] = "1AAA",
        ["POST /v1/apps/{id:guid}/builds"] = "1443",
        ["POST /v1/apps/{id:guid}/restage"] = "1443",
        ["GET /v1/routes"] = "1AAA",
        ["POST /v1/apps/{id:guid}/routes"] = "1443",
        ["DELETE /v1/apps/{id:guid}/routes/{host}"] = "1443",
        ["GET /v1/nodes"] = "1333",
        ["GET /v1/nodes/{node}"] = "1333",
        ["POST /v1/nodes/{node}/evacuate"] = "1333",
        ["GET /v1/apps/{id:guid}/service_bindings"] = "1333",
        ["POST /v1/apps/{id:guid}/service_bindings"] = "1333",
        ["DELETE /v1/apps/{id:guid}/service_bindings/{name}"] = "1333",
        ["POST /v1/service_brokers"] = "1333",
        ["GET /v1/service_brokers"] = "1333",
        ["DELETE /v1/service_brokers/{name}"] = "1333",
        ["GET /v1/marketplace"] = "1333",
        ["POST /v1/service_instances"] = "1333",
        ["POST /v1/user_provided_service_instances"] = "1333",
        ["GET /v1/service_instances"] = "1333",
        ["GET /v1/service_instances/{name}"] = "1333",
        ["DELETE /v1/service_instances/{name}"] = "1333",
        ["GET /v1/cluster/nodes"] = "1333",
        ["GET /v1/cluster/join"] = "1333",
        ["GET /v1/cluster/config"] = "1333",
        ["PUT /v1/cluster/config/{key}"] = "1333",
        ["POST /v1/cluster/join_tokens"] = "1333",
    };

    [Fact]
    public async Task EveryEndpoint_CallersWithoutTheRole_RefusedOrHidden()
    {
        var world = await new TenancyWorld(silo).BuildAsync();
        var callers = new[]
        {
            ("anonymous", world.Anonymous), ("no role", world.NoRole), ("developer of org B", world.DevB), ("auditor of org A", world.AuditorA),
            ("join token", await JoinTokenClientAsync(world)),
        };
        var endpoints = Endpoints();
        var failures = new List<string>();
        foreach (var (method, pattern) in endpoints)
        {
            if (!Expected.TryGetValue($"{method} {pattern}", out var row))
            {
                failures.Add($"{method} {pattern}: not in the permission table; say who may call it");
                continue;
            }

            row += JoinTokenExpectation(method, pattern, row);
            for (var i = 0; i < callers.Length; i++)
            {
                if (row[i] == '-')
                    continue;
                var (status, body) = await SendAsync(callers[i].Item2, method, Fill(pattern, world), world);
                if (!Matches(row[i], status))
                    failures.Add($"{method} {pattern} as {callers[i].Item1}: {(int)status}, expected {Describe(row[i])} ({body})");
            }
        }

        output.WriteLine($"{endpoints.Count} endpoints × {callers.Length} callers");
        Assert.True(failures.Count == 0, string.Join('\n', failures));
    }

    /// <summary>Open endpoints stay open; the join details and the node list are what a join token is for; the rest is 403.</summary>
    private static char JoinTokenExpectation(string method, string pattern, string row) =>
        row[0] == 'A' || (method == "GET" && pattern is "/v1/cluster/join" or "/v1/cluster/nodes") ? 'A' : '3';

    private async Task<HttpClient> JoinTokenClientAsync(TenancyWorld world)
    {
        var issued = await (await world.Admin.PostAsync("/v1/cluster/join_tokens", new StringContent("{}", Encoding.UTF8, "application/json"))).Json();
        var client = silo.CreateClient();
        client.DefaultRequestHeaders.Authorization = new("Bearer", (string)issued["token"]!);
        return client;
    }

    private List<(string Method, string Pattern)> Endpoints() =>
        [.. silo.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => !(e.RoutePattern.RawText ?? "").StartsWith("/dashboard", StringComparison.Ordinal))
            .SelectMany(e => (e.Metadata.GetMetadata<Microsoft.AspNetCore.Routing.HttpMethodMetadata>()?.HttpMethods ?? ["GET"])
                .Select(m => (m, e.RoutePattern.RawText!)))
            .Distinct()];

    private static string Fill(string pattern, TenancyWorld world) => pattern
        .Replace("{id:guid}", world.AppA).Replace("{documentName}", "v1").Replace("{org}", world.OrgA).Replace("{space}", "dev")
        .Replace("{user}", world.AuditorName).Replace("{name}", "admin").Replace("{host}", "x.localhost").Replace("{node}", "no-node")
        .Replace("{key}", "Granary:Edge:AccessLog")
        .Replace("/users/" + world.AuditorName + "/roles/{role}", "/users/" + world.AuditorName + "/roles/" + (pattern.Contains("/spaces/") ? "SpaceAuditor" : "OrgAuditor"))
        + (pattern == "/v1/events" ? $"?app={world.AppName}&space={world.SpaceA}" : "");

    private static async Task<(HttpStatusCode Status, string Body)> SendAsync(HttpClient client, string method, string path, TenancyWorld world)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        // POST /v1/apps names org A's space, so the answer is about that space rather than about a missing one.
        if (method is "POST" or "PUT" or "PATCH")
            request.Content = new StringContent(path == "/v1/apps/" ? $"{{\"name\":\"matrix\",\"space\":\"{world.SpaceA}\"}}" : "{}", Encoding.UTF8, "application/json");
        // Uploads take archives only: a JSON body would match no endpoint, and be judged by the admin-only fallback.
        if (path == "/v1/packages")
            request.Content = new ByteArrayContent([1, 2, 3]) { Headers = { ContentType = new("application/gzip") } };
        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        var body = response.IsSuccessStatusCode ? "" : await response.Content.ReadAsStringAsync();
        return (response.StatusCode, body.Length > 300 ? body[..300] : body);
    }

    private static bool Matches(char expected, HttpStatusCode status) => expected switch
    {
        'A' => status is not (HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden or HttpStatusCode.NotFound),
        '1' => status == HttpStatusCode.Unauthorized,
        '3' => status == HttpStatusCode.Forbidden,
        '4' => status == HttpStatusCode.NotFound,
        _ => false,
    };

    private static string Describe(char expected) => expected switch
    {
        'A' => "allowed",
        '1' => "401",
        '3' => "403",
        '4' => "404",
        _ => "?",
    };
}
