using System.CommandLine;
using Granary.Cli.Api;
using Granary.Cli.Output;
using Granary.Cli.Push;

namespace Granary.Cli.Commands;

/// <summary><c>create-quota</c>, <c>quotas</c>, <c>set-quota</c>, and the same for spaces.</summary>
internal static class QuotaCommands
{
    public static Command Create(CliHost host, bool forSpaces)
    {
        var name = new Argument<string>("NAME") { Description = "The quota's name (an existing one is replaced)" };
        var memory = new Option<string?>("--memory", "-m") { Description = "Total memory of started instances, e.g. 10G", HelpName = "SIZE" };
        var instances = new Option<int?>("--instances", "-i") { Description = "Total instances of started apps" };
        var apps = new Option<int?>("--apps", "-a") { Description = "Apps" };
        var routes = new Option<int?>("--routes", "-r") { Description = "Routes" };
        var services = new Option<int?>("--services", "-s") { Description = "Service instances" };
        var instanceMemory = new Option<string?>("--instance-memory") { Description = "The most memory one instance may ask for, e.g. 1G", HelpName = "SIZE" };
        var command = new Command(forSpaces ? "create-space-quota" : "create-quota",
            forSpaces ? "Define a space quota (admins); org managers put spaces under it" : "Define an org quota (admins); a missing limit is unlimited")
            { name, memory, instances, apps, routes, services, instanceMemory };
        command.SetAction(host, async (parse, ctx, ct) =>
        {
            var quota = new QuotaEntry(parse.GetValue(name)!, Megabytes(parse.GetValue(memory)), parse.GetValue(instances), parse.GetValue(apps),
                parse.GetValue(routes), parse.GetValue(services), Megabytes(parse.GetValue(instanceMemory)));
            var saved = await ctx.Api.SetQuotaAsync(quota, forSpaces, ct);
            ctx.Console.Line($"{(forSpaces ? "Space quota" : "Quota")} {saved.Name}: {Describe(saved)}");
            return 0;
        });
        return command;
    }

    public static Command List(CliHost host, bool forSpaces)
    {
        var json = GlobalOptions.Json();
        var command = new Command(forSpaces ? "space-quotas" : "quotas", forSpaces ? "List space quotas" : "List org quotas") { json };
        command.SetAction(host, async (parse, ctx, ct) =>
        {
            var (quotas, raw) = await ctx.Api.ListQuotasAsync(forSpaces, ct);
            if (parse.GetValue(json))
            {
                ctx.Console.Line(raw.Trim());
                return 0;
            }

            TextTable.Write(ctx.Console, ["name", "memory", "instances", "apps", "routes", "services", "instance memory"], quotas.Select(q => (IReadOnlyList<string>)
                [q.Name, Mb(q.MemoryMb), Count(q.Instances), Count(q.Apps), Count(q.Routes), Count(q.Services), Mb(q.InstanceMemoryMb)]));
            return 0;
        });
        return command;
    }

    public static Command Assign(CliHost host, bool forSpaces)
    {
        var org = new Argument<string>("ORG");
        var space = new Argument<string>("SPACE");
        var name = new Argument<string>("QUOTA") { Description = "The quota, or 'none' to lift it" };
        var command = forSpaces
            ? new Command("set-space-quota", "Put a space under a space quota (org managers, admins)") { org, space, name }
            : new Command("set-quota", "Put an org under a quota (admins)") { org, name };
        command.SetAction(host, async (parse, ctx, ct) =>
        {
            var quota = parse.GetValue(name) is "none" ? null : parse.GetValue(name);
            await ctx.Api.AssignQuotaAsync(parse.GetValue(org)!, forSpaces ? parse.GetValue(space) : null, quota, ct);
            ctx.Console.Line($"{(forSpaces ? $"Space {parse.GetValue(org)}/{parse.GetValue(space)}" : $"Org {parse.GetValue(org)}")} now has quota {quota ?? "(none)"}");
            return 0;
        });
        return command;
    }

    public static string Describe(QuotaEntry q) =>
        $"memory {Mb(q.MemoryMb)}, instances {Count(q.Instances)}, apps {Count(q.Apps)}, routes {Count(q.Routes)}, services {Count(q.Services)}, per instance {Mb(q.InstanceMemoryMb)}";

    private static int? Megabytes(string? text) => text is null ? null : MemorySize.Parse(text);

    private static string Mb(int? mb) => mb is { } n ? Formats.Memory(n) : "unlimited";

    private static string Count(int? n) => n?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "unlimited";
}
