using System.CommandLine;
using Granary.Cli.Push;

namespace Granary.Cli.Commands;

/// <summary>Options shared by many commands.</summary>
internal static class GlobalOptions
{
    public const string HomeName = "--home";

    public static Option<string?> Home() => new(HomeName)
    {
        Description = "Granary home folder (default: $GRANARY_HOME, else ~/.granary)",
        HelpName = "DIR",
        Recursive = true,
    };

    public static Option<bool> Json() => new("--json") { Description = "Print JSON instead of a table" };

    public static Argument<string> AppName() => new("NAME") { Description = "The app's name" };

    public static Option<int?> Instances()
    {
        var option = new Option<int?>("--instances", "-i") { Description = "Number of instances", HelpName = "N" };
        option.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int?>() is < 0)
                result.AddError("--instances must be 0 or more");
        });
        return option;
    }

    public static Option<int?> Memory() => new("--memory", "-m")
    {
        Description = "Memory per instance: 256M, 1G, …",
        HelpName = "SIZE",
        CustomParser = result =>
        {
            var text = result.Tokens.Count > 0 ? result.Tokens[0].Value : "";
            if (MemorySize.TryParse(text, out var mb))
                return mb;
            result.AddError(MemorySize.ErrorFor(text));
            return null;
        },
    };

    public static Option<int> Timeout() => new("--timeout", "-t")
    {
        Description = "Seconds to wait for the instances to run",
        HelpName = "SECONDS",
        DefaultValueFactory = _ => 180,
    };
}
