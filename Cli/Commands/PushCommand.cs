using System.CommandLine;
using System.Globalization;
using Granary.Cli.Api;
using Granary.Cli.Push;
using Granary.Cli.Running;

namespace Granary.Cli.Commands;

internal static class PushCommand
{
    public static Command Create(CliHost host)
    {
        var path = new Argument<string?>("PATH")
        {
            Description = "App folder, or a .zip/.tar.gz/.tgz archive to upload as is (default: .); `push NAME PATH` also works",
            Arity = ArgumentArity.ZeroOrOne,
        };
        // `granary push hello samples/node-hello` (name first, as the samples' README writes it).
        var secondPath = new Argument<string?>("NAME_PATH") { Arity = ArgumentArity.ZeroOrOne, Hidden = true };
        var manifest = new Option<string?>("--manifest", "-f") { Description = "Manifest to read (default: PATH/manifest.yml if present)", HelpName = "FILE" };
        var name = new Option<string?>("--name", "-n") { Description = "App name (default: the manifest's, else the folder's)", HelpName = "NAME" };
        var instances = GlobalOptions.Instances();
        var memory = GlobalOptions.Memory();
        var command = new Option<string?>("--command", "-c") { Description = "Start command (default: detected from the files)", HelpName = "CMD" };
        var timeout = GlobalOptions.Timeout();
        var noRoute = new Option<bool>("--no-route") { Description = "Create the app without its default route NAME.DOMAIN (map one with map-route)" };
        var push = new Command("push", "Upload an app, stage it and start it") { path, secondPath, manifest, name, instances, memory, command, timeout, noRoute };
        push.SetAction(host, (parse, ctx, ct) =>
        {
            var (appName, appPath) = (parse.GetValue(name), parse.GetValue(path));
            if (parse.GetValue(secondPath) is { } second)
            {
                if (appName is not null)
                    throw new UsageException("give the name either as NAME PATH or with --name, not both");
                (appName, appPath) = (appPath, second);
            }
            var flags = new PushFlags(appPath, parse.GetValue(manifest), appName,
                parse.GetValue(instances), parse.GetValue(memory), parse.GetValue(command));
            var plan = PushPlan.Create(flags, ctx.Host.WorkingDirectory);
            return RunAsync(ctx, plan, parse.GetValue(noRoute), TimeSpan.FromSeconds(Math.Max(1, parse.GetValue(timeout))), ct);
        });
        return push;
    }

    private static async Task<int> RunAsync(CommandContext ctx, PushPlan plan, bool noRoute, TimeSpan timeout, CancellationToken ct)
    {
        var console = ctx.Console;
        if (plan.Note is not null)
            console.Line(plan.Note);
        var package = await UploadAsync(ctx, plan, ct);
        if (package.Framework is { Length: > 0 } framework)
            console.Line($"Detected framework: {framework}");
        if (plan.Command is not null)
            console.Line($"Using command: {plan.Command}");

        var app = await CreateOrUpdateAsync(ctx, plan, noRoute, ct);
        app = await MapRoutesAsync(ctx, app, plan, ct);
        await ServiceBindingCommands.BindManifestServicesAsync(ctx, app, plan.Services, ct);
        var baseline = InstanceBaseline.Of(app);
        using var logs = await TryFollowAsync(ctx.Api, app.Id, ct);
        var build = await ctx.Api.StartBuildAsync(app.Id, package.PackageId, ct);
        console.Line($"Staging {app.Name}…");
        app = await StagingWatcher.WaitAsync(ctx.Api, console, app.Id, build.BuildId, logs, ct);
        if (app.Staging?.State == StagingStates.Failed)
            throw new CliException($"staging failed: {app.Staging.Error ?? "no reason given"} (see ./granary logs {app.Name} --recent)");
        console.Line($"Staged {app.Name}" + (app.Droplet is { } d ? $" ({d.Framework}, start command: {d.StartCommand})" : ""));

        if (app.State != AppStates.Started)
        {
            console.Line($"{app.Name} is stopped: ./granary start {app.Name}");
            return 0;
        }
        console.Line($"Starting {app.Name}…");
        app = await StartupWaiter.WaitForRunningAsync(ctx.Api, console, app, baseline, app.Droplet?.Hash, timeout, ct);
        StartupWaiter.PrintSummary(console, app);
        return 0;
    }

    private static async Task<PackageUploaded> UploadAsync(CommandContext ctx, PushPlan plan, CancellationToken ct)
    {
        if (plan.Source.IsArchive)
        {
            ctx.Console.Line($"Uploading {Path.GetFileName(plan.Source.Path)}…");
            return await ctx.Api.UploadPackageAsync(plan.Source.Path, plan.Source.ContentType, plan.Command, ct);
        }
        var archive = Path.Combine(Path.GetTempPath(), $"granary-push-{Guid.NewGuid():N}.tar.gz");
        try
        {
            var packed = await AppPacker.PackAsync(plan.Source.Path, archive, ct);
            if (packed.Skipped.Count > 0)
                ctx.Console.Line($"note: skipped {packed.Skipped.Count} special file(s) (sockets, pipes, devices): {string.Join(", ", packed.Skipped.Take(5))}");
            if (packed.FileCount == 0)
                throw new CliException($"nothing to push: {plan.Source.Path} has no files (or .granaryignore leaves none)");
            var size = new FileInfo(archive).Length;
            ctx.Console.Line(string.Create(CultureInfo.InvariantCulture, $"Uploading {plan.Name}: {packed.FileCount} files, {size / 1024.0:0.#} KiB…"));
            return await ctx.Api.UploadPackageAsync(archive, plan.Source.ContentType, plan.Command, ct);
        }
        finally
        {
            File.Delete(archive);
        }
    }

    private static async Task<App> CreateOrUpdateAsync(CommandContext ctx, PushPlan plan, bool noRoute, CancellationToken ct)
    {
        var existing = await ctx.Api.FindAppAsync(plan.Name, ct);
        if (existing is null)
        {
            ctx.Console.Line($"Creating app {plan.Name}…");
            return await ctx.Api.CreateAppAsync(new CreateAppRequest(plan.Name, plan.Instances, plan.MemoryMb,
                plan.Env is null ? null : new Dictionary<string, string>(plan.Env), plan.Command, AppStates.Started, NoRoute: noRoute ? true : null), ct);
        }
        var patch = PushChanges.For(existing, plan);
        if (patch.IsEmpty)
            return existing;
        ctx.Console.Line($"Updating app {plan.Name}…");
        return await ctx.Api.PatchAppAsync(existing.Id, patch, ct);
    }

    // Before the build, so the app answers on every route as soon as it runs. Never unmaps: like cf push.
    private static async Task<App> MapRoutesAsync(CommandContext ctx, App app, PushPlan plan, CancellationToken ct)
    {
        foreach (var host in plan.Routes ?? [])
        {
            if (RouteCommands.IsMapped(app, host))
                continue;
            ctx.Console.Line($"Mapping route {RouteCommands.Normalize(host)}…");
            app = await ctx.Api.MapRouteAsync(app.Id, host, ct);
        }
        return app;
    }

    private static async Task<LogFollower?> TryFollowAsync(GranaryApiClient api, string appId, CancellationToken ct)
    {
        try
        {
            return await api.FollowLogsAsync(appId, 0, ct);
        }
        catch (CliException)
        {
            // Without live output the push still works: the outcome comes from polling.
            return null;
        }
    }
}
