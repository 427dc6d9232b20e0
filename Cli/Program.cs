using Granary.Cli;
using Granary.Cli.Commands;

return await GranaryCli.RunAsync(args, CliHost.FromSystem());
