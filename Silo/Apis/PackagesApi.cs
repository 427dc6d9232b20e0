using Granary.Apps;
using Granary.Silo.Auth;
using Granary.Silo.Staging;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace Granary.Silo.Apis;

/// <summary>Push = upload a package (validated and framework-detected at once), then build it into a droplet.</summary>
public static class PackagesApi
{
    public static RouteGroupBuilder MapPackagesApi(this RouteGroupBuilder v1)
    {
        // Any signed-in user may upload: a package is used only by a build, which needs SpaceDeveloper on its app.
        v1.MapPost("/packages", Upload).WithTags("Packages").RequireAuthorization(GranaryClaims.UserPolicy)
            .Accepts<Stream>("application/gzip", "application/zip", "application/octet-stream");
        v1.MapPost("/apps/{id:guid}/builds", Build).WithTags("Packages").AppScoped();
        v1.MapPost("/apps/{id:guid}/restage", Restage).WithTags("Packages").AppScoped();
        return v1;
    }

    private static async Task<Created<PackageView>> Upload(string? command, HttpContext http, PackageStore packages,
        IOptions<StagingOptions> staging)
    {
        var limit = staging.Value.MaxPackageBytes;
        if (http.Request.ContentLength > limit)
        {
            throw new PackageRejectedException(413, "Upload too large",
                $"the upload is {http.Request.ContentLength / (1024 * 1024)} MB; the limit is {limit / (1024 * 1024)} MB (list large build outputs in .granaryignore)");
        }

        // The store enforces the limit while streaming (chunked uploads carry no length); let the body through to it.
        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size)
        {
            size.MaxRequestBodySize = limit + 1;
        }

        var package = await packages.SaveAsync(http.Request.Body, string.IsNullOrWhiteSpace(command) ? null : command, http.RequestAborted);
        return TypedResults.Created($"/v1/packages/{package.PackageId}",
            new PackageView(package.PackageId, package.SizeBytes, package.FileCount, package.Framework));
    }

    private static async Task<Accepted<BuildAccepted>> Build(Guid id, BuildRequest request, IGrainFactory grains, PackageStore packages,
        CancellationToken ct)
    {
        if (request.PackageId is not { } packageId || await packages.FindPathAsync(packageId, ct) is null)
        {
            throw new PackageRejectedException(404, "Package not found",
                $"no package '{request.PackageId}': upload the app's files with POST /v1/packages first");
        }

        var buildId = await grains.GetGrain<IAppGrain>(id).StartBuild(packageId);
        return TypedResults.Accepted($"/v1/apps/{id}", new BuildAccepted(buildId));
    }

    private static async Task<Accepted<BuildAccepted>> Restage(Guid id, IGrainFactory grains)
    {
        var buildId = await grains.GetGrain<IAppGrain>(id).Restage();
        return TypedResults.Accepted($"/v1/apps/{id}", new BuildAccepted(buildId));
    }
}
