using System.CommandLine;
using System.Text.Json;
using Granary.Cli.Api;
using Granary.Cli.Output;

namespace Granary.Cli.Commands;

/// <summary><c>env</c>, <c>set-env</c> and <c>unset-env</c>. Changes apply on the next restart, as in Cloud Foundry.</summary>
internal static class EnvCommands
{
    public static Command Env(CliHost host)
    {
        var name = GlobalOptions.AppName();
        var json = GlobalOptions.Json();
        var command = new Command("env", "Show an app's environment variables") { name, json };
        command.SetAction(host, async (parse, ctx, ct) =>
        {
            var app = await GetAsync(ctx, parse.GetValue(name)!, ct);
            var env = app.Env ?? [];
            if (parse.GetValue(json))
            {
                ctx.Console.Line(JsonSerializer.Serialize(env, CliJsonContext.Default.DictionaryStringString));
                return 0;
            }
            if (env.Count == 0)
                ctx.Console.Line($"{app.Name} has no environment variables");
            foreach (var (key, value) in env.OrderBy(kv => kv.Key, StringComparer.Ordinal))
                ctx.Console.Line($"{key}={value}");
            return 0;
        });
        return command;
    }

    public static Command SetEnv(CliHost host)
    {
        var name = GlobalOptions.AppName();
        var key = new Argument<string>("KEY") { Description = "Variable name" };
        var value = new Argument<string>("VALUE") { Description = "Variable value" };
        var command = new Command("set-env", "Set an environment variable") { name, key, value };
        command.SetAction(host, (parse, ctx, ct) =>
        {
            var k = parse.GetValue(key)!;
            if (k.Length == 0 || k.Contains('='))
                throw new UsageException($"'{k}' is not a variable name");
            return ChangeAsync(ctx, parse.GetValue(name)!, env => env[k] = parse.GetValue(value)!, ct);
        });
        return command;
    }

    public static Command UnsetEnv(CliHost host)
    {
        var name = GlobalOptions.AppName();
        var key = new Argument<string>("KEY") { Description = "Variable name" };
        var command = new Command("unset-env", "Remove an environment variable") { name, key };
        command.SetAction(host, (parse, ctx, ct) =>
            ChangeAsync(ctx, parse.GetValue(name)!, env => env.Remove(parse.GetValue(key)!), ct));
        return command;
    }

    private static async Task<App> GetAsync(CommandContext ctx, string name, CancellationToken ct) =>
        (await ctx.Api.GetAppAsync((await ctx.Api.RequireAppAsync(name, ct)).Id, ct)).App;

    // PATCH replaces the whole map, so the change is made on a fresh copy of what the server has.
    private static async Task<int> ChangeAsync(CommandContext ctx, string name, Action<Dictionary<string, string>> change, CancellationToken ct)
    {
        var app = await GetAsync(ctx, name, ct);
        var env = new Dictionary<string, string>(app.Env ?? [], StringComparer.Ordinal);
        var before = new Dictionary<string, string>(env, StringComparer.Ordinal);
        change(env);
        if (env.Count == before.Count && env.All(kv => before.TryGetValue(kv.Key, out var v) && v == kv.Value))
        {
            ctx.Console.Line($"{app.Name}'s environment is unchanged");
            return 0;
        }
        await ctx.Api.PatchAppAsync(app.Id, new PatchAppRequest(Env: env), ct);
        ctx.Console.Line($"Updated the environment of {app.Name}");
        ctx.Console.Line($"Restart {app.Name} for the change to take effect: ./granary restart {app.Name}");
        return 0;
    }
}
