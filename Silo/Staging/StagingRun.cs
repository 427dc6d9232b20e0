using Granary.Logs;
using Granary.Staging;

namespace Granary.Silo.Staging;

/// <summary>The steps of one build, in order; any user-caused failure is a <see cref="BuildFailedException"/>.</summary>
internal sealed class StagingRun(
    StagingJob job,
    BuildFolder folder,
    StagingOptions settings,
    PackageStore packages,
    IDropletStore droplets,
    TimeProvider time,
    Action<string> say,
    Action<LogStream, string> output)
{
    private string? _currentStep;

    /// <summary>" (during npm ci)" while a build step runs, for the timeout message.</summary>
    public string DuringStep => _currentStep is null ? "" : $" (during {_currentStep})";

    public async Task<DropletRef> RunAsync(Action<string> onFramework, CancellationToken cancellationToken)
    {
        folder.Create();
        var files = await UnpackAsync(cancellationToken);
        var detection = FrameworkDetector.Detect(files, job.Command);
        if (detection.Detected is not { } detected)
        {
            throw new BuildFailedException(detection.Error!);
        }

        onFramework(detected.Framework);
        say($"-----> Detected framework: {detected.Framework}");
        foreach (var note in detected.Notes)
        {
            say($"       {note}");
        }

        await RunBuildStepsAsync(detected.BuildSteps, cancellationToken);
        var dropletRoot = detected.DropletFolder is null ? folder.App : Path.GetFullPath(Path.Combine(folder.App, detected.DropletFolder));
        if (!Directory.Exists(dropletRoot))
        {
            throw new BuildFailedException($"the build produced no output in {detected.DropletFolder}");
        }

        foreach (var support in detected.SupportFiles)
        {
            await SupportFiles.CopyAsync(support, dropletRoot, cancellationToken);
        }

        var stagedAt = time.GetUtcNow();
        await new DropletManifest(detected.Framework, detected.StartCommand, stagedAt).WriteAsync(dropletRoot, cancellationToken);
        say($"-----> Start command: {detected.StartCommand}");

        await PackAsync(dropletRoot, cancellationToken);
        var droplet = await droplets.PutAsync(folder.Droplet, detected.Framework, detected.StartCommand, cancellationToken);
        say($"-----> Droplet ready: {Bytes.Describe(droplet.SizeBytes)} (sha256 {droplet.Hash[..12]})");
        // One timestamp for droplet.json and the reference, whatever clock the store reads.
        return droplet with { StagedAt = stagedAt };
    }

    private async Task<AppFiles> UnpackAsync(CancellationToken cancellationToken)
    {
        var package = await packages.FindPathAsync(job.PackageId, cancellationToken)
            ?? throw new BuildFailedException($"package {job.PackageId} is not stored on this node nor in the shared store: upload the app again");
        ArchiveListing listing;
        try
        {
            listing = await PackageArchive.ReadAsync(package, ArchiveLimits.From(settings), folder.App, FrameworkDetector.ReadsText, cancellationToken);
        }
        catch (ArchiveRejectedException e)
        {
            throw new BuildFailedException($"the package cannot be unpacked: {e.Message}");
        }

        say($"-----> Unpacked app package: {listing.RegularFileCount} files, {Bytes.Describe(listing.UnpackedBytes)}");

        // .granary/ is where Granary writes into the droplet; nothing uploaded may pre-empt or redirect it.
        var reserved = Path.Combine(folder.App, SupportFiles.Folder);
        if (Directory.Exists(reserved) || File.Exists(reserved))
        {
            say($"       Ignoring the uploaded {SupportFiles.Folder}/ folder: Granary writes its own there");
            WorkFolder.DeleteQuietly(reserved);
            File.Delete(reserved);
        }

        return listing.Files;
    }

    private async Task RunBuildStepsAsync(IReadOnlyList<BuildStep> steps, CancellationToken cancellationToken)
    {
        var environment = BuildEnvironment.For(
            folder.Home, folder.Temp, BuildEnvironment.CacheFolder(settings.WorkDirectory), Environment.GetEnvironmentVariable("PATH"));
        foreach (var step in steps)
        {
            say($"-----> Running: {step.Command}");
            _currentStep = step.Name;
            var exitCode = await BuildStepRunner.RunAsync(step, folder.App, environment, output, cancellationToken);
            _currentStep = null;
            if (exitCode != 0)
            {
                throw new BuildFailedException($"{step.Name} exited with code {exitCode}");
            }
        }
    }

    private async Task PackAsync(string dropletRoot, CancellationToken cancellationToken)
    {
        say("-----> Packing droplet");
        await DropletArchive.PackAsync(dropletRoot, folder.Droplet, cancellationToken);
        try
        {
            // The DEA refuses to unpack anything unsafe; find out now, with a message, rather than at every start.
            await PackageArchive.ReadAsync(folder.Droplet, ArchiveKind.TarGz, ArchiveLimits.Droplet, null, static _ => false, cancellationToken);
        }
        catch (ArchiveRejectedException e)
        {
            throw new BuildFailedException($"the build left something a droplet may not hold: {e.Message}");
        }
    }
}
