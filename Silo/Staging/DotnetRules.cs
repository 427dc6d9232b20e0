using System.Xml;
using System.Xml.Linq;

namespace Granary.Silo.Staging;

/// <summary>.NET: exactly one *.csproj at the root, published in Release; the droplet is the publish output.</summary>
internal static class DotnetRules
{
    public const string Framework = "dotnet";

    /// <summary>Beside the app folder, not in it, so the project's globs never pick up its own output.</summary>
    public const string PublishFolder = "../publish";

    public static LanguageMatch? Match(AppFiles files)
    {
        var projects = files.AtRoot.Where(path => path.EndsWith(".csproj", StringComparison.Ordinal)).Order(StringComparer.Ordinal).ToList();
        if (projects.Count == 0)
        {
            return null;
        }

        if (projects.Count > 1)
        {
            return LanguageMatch.Broken(Framework,
                $"found {projects.Count} project files at the top of the folder ({string.Join(", ", projects)}): Granary builds exactly one. "
                + "Push the folder of the project you want to run");
        }

        var project = projects[0];
        var assembly = AssemblyName(files.ReadText(project)) ?? Path.GetFileNameWithoutExtension(project);
        return new LanguageMatch(
            Framework,
            [new BuildStep("dotnet publish", $"dotnet publish {Shell.Quote(project)} -c Release -o {PublishFolder} --nologo")],
            $"dotnet {Shell.Quote(assembly + ".dll")}",
            null)
        {
            DropletFolder = PublishFolder,
        };
    }

    /// <summary>The project's literal AssemblyName (the last one wins, as in MSBuild); null if unset or computed.</summary>
    internal static string? AssemblyName(string? projectText)
    {
        if (projectText is null)
        {
            return null;
        }

        try
        {
            return XDocument.Parse(projectText).Descendants()
                .Where(element => element.Name.LocalName == "AssemblyName")
                .Select(element => element.Value.Trim())
                .LastOrDefault(value => value.Length > 0 && !value.Contains("$(", StringComparison.Ordinal) && !value.Contains('/'));
        }
        catch (XmlException)
        {
            return null;
        }
    }
}
