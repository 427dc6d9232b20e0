namespace Granary.Silo.Staging;

/// <summary>The layout of one build's scratch folder: WorkDirectory/&lt;buildId&gt;/{app,home,tmp,droplet.tgz}.</summary>
internal sealed record BuildFolder(string Root)
{
    public string App => Path.Combine(Root, "app");

    public string Home => Path.Combine(Root, "home");

    public string Temp => Path.Combine(Root, "tmp");

    public string Droplet => Path.Combine(Root, "droplet.tgz");

    // MSBuild imports Directory.Build.props/targets and Directory.Packages.props from any folder above the
    // project; empty ones here stop that search so the build cannot pick up whatever lies above the work directory.
    private static readonly string[] MsBuildStops = ["Directory.Build.props", "Directory.Build.targets", "Directory.Packages.props"];

    public void Create()
    {
        WorkFolder.DeleteQuietly(Root);
        Directory.CreateDirectory(Root);
        Directory.CreateDirectory(Home);
        Directory.CreateDirectory(Temp);
        foreach (var stop in MsBuildStops)
        {
            File.WriteAllText(Path.Combine(Root, stop), "<Project />\n");
        }
    }
}
