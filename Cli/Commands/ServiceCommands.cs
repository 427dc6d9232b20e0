using System.CommandLine;
using System.Text.Json;
using Granary.Cli.Api;
using Granary.Cli.Output;

namespace Granary.Cli.Commands;

/// <summary><c>create-service</c>, <c>create-user-provided-service</c>, <c>services</c>, <c>delete-service</c>.</summary>
internal static class ServiceCommands
{
    private static readonly TimeSpan WaitLimit = TimeSpan.FromMinutes(5);

    public static Command Create(CliHost host)
    {
        var offering = new Argument<string>("SERVICE") { Description = "The service, as ./granary marketplace lists it" };
        var plan = new Argument<string>("PLAN") { Description = "One of the service's plans" };
        var name = new Argument<string>("NAME") { Description = "A name for the new service instance" };
        var broker = new Option<string?>("--broker", "-b") { Description = "The broker, when several offer the service", HelpName = "BROKER" };
        var noWait = new Option<bool>("--no-wait") { Description = "Return while the broker is still creating it" };
        var command = new Command("create-service", "Create a service instance from the marketplace") { offering, plan, name, broker, noWait };
        command.SetAction(host, async (parse, ctx, ct) =>
        {
            var instance = await ctx.Api.CreateServiceAsync(new CreateServiceInstanceRequest(
                parse.GetValue(name)!, parse.GetValue(offering)!, parse.GetValue(plan)!, parse.GetValue(broker)), ct);
            if (instance.Status == "CREATE_IN_PROGRESS" && !parse.GetValue(noWait))
                instance = await WaitWhileAsync(ctx, instance.Name, "CREATE_IN_PROGRESS", ct) ?? instance;
            return Report(ctx, instance, $"Created {instance.Name} ({instance.Service} {instance.Plan}); bind it with ./granary bind-service APP {instance.Name}");
        });
        return command;
    }

    public static Command CreateUserProvided(CliHost host)
    {
        var name = new Argument<string>("NAME") { Description = "A name for the service instance" };
        var credentials = new Option<string>("--parameters", "-p")
        {
            Description = "Credentials as a JSON object, e.g. '{\"uri\":\"postgres://u:p@host:5432/db\"}'",
            HelpName = "JSON",
            Required = true,
        };
        var command = new Command("create-user-provided-service", "Make credentials you already have bindable like a service") { name, credentials };
        command.SetAction(host, async (parse, ctx, ct) =>
        {
            JsonElement parsed;
            try
            {
                using var document = JsonDocument.Parse(parse.GetValue(credentials)!);
                parsed = document.RootElement.Clone();
            }
            catch (JsonException e)
            {
                throw new UsageException($"-p must be a JSON object: {e.Message}");
            }
            if (parsed.ValueKind != JsonValueKind.Object)
                throw new UsageException("-p must be a JSON object, e.g. '{\"uri\":\"postgres://u:p@host:5432/db\"}'");
            var instance = await ctx.Api.CreateUserProvidedServiceAsync(new CreateUserProvidedServiceRequest(parse.GetValue(name)!, parsed), ct);
            ctx.Console.Line($"Created user-provided service {instance.Name}; bind it with ./granary bind-service APP {instance.Name}");
            return 0;
        });
        return command;
    }

    public static Command List(CliHost host)
    {
        var json = GlobalOptions.Json();
        var command = new Command("services", "List service instances and the apps bound to them") { json };
        command.SetAction(host, async (parse, ctx, ct) =>
        {
            var (services, raw) = await ctx.Api.ListServicesAsync(ct);
            if (parse.GetValue(json))
            {
                ctx.Console.Line(raw.Trim());
                return 0;
            }
            if (services.Count == 0)
            {
                ctx.Console.Line("No services: ./granary marketplace, then ./granary create-service SERVICE PLAN NAME");
                return 0;
            }
            TextTable.Write(ctx.Console, ["name", "service", "plan", "status", "bound apps", "message"], services.Select(s => (IReadOnlyList<string>)
                [s.Name, s.Type == "USER_PROVIDED" ? "user-provided" : s.Service ?? "-", s.Plan ?? "-", Status(s.Status),
                 s.BoundApps.Count == 0 ? "-" : string.Join(", ", s.BoundApps), s.Message ?? ""]));
            return 0;
        });
        return command;
    }

    public static Command Delete(CliHost host)
    {
        var name = new Argument<string>("NAME") { Description = "The service instance" };
        var noWait = new Option<bool>("--no-wait") { Description = "Return while the broker is still deleting it" };
        var command = new Command("delete-service", "Delete a service instance and its data (refused while apps are bound)") { name, noWait };
        command.SetAction(host, async (parse, ctx, ct) =>
        {
            var service = parse.GetValue(name)!;
            var remaining = await ctx.Api.DeleteServiceAsync(service, ct);
            if (remaining is not null && !parse.GetValue(noWait))
                remaining = await WaitWhileAsync(ctx, service, "DELETE_IN_PROGRESS", ct);
            return remaining is null
                ? Done(ctx, $"Deleted service {service}")
                : Report(ctx, remaining, $"Deleted service {service}");
        });
        return command;
    }

    /// <summary>Polls the instance while it has the given status; null once it is gone.</summary>
    private static async Task<ServiceInstanceEntry?> WaitWhileAsync(CommandContext ctx, string name, string status, CancellationToken ct)
    {
        ctx.Console.Line($"{name}: {Status(status)}…");
        var deadline = DateTime.UtcNow + WaitLimit;
        while (true)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(300), ct);
            var instance = await ctx.Api.FindServiceAsync(name, ct);
            if (instance is null || instance.Status != status)
                return instance;
            if (DateTime.UtcNow > deadline)
            {
                ctx.Console.Line($"{name} is still {Status(status)}; ./granary services shows when it is done");
                return instance;
            }
        }
    }

    private static int Report(CommandContext ctx, ServiceInstanceEntry instance, string success)
    {
        switch (instance.Status)
        {
            case "READY":
                return Done(ctx, success);
            case "CREATE_IN_PROGRESS" or "DELETE_IN_PROGRESS":
                return Done(ctx, $"{instance.Name}: {Status(instance.Status)}; ./granary services shows when it is done");
            default:
                throw new CliException($"{instance.Name}: {Status(instance.Status)}: {instance.Message ?? "the broker gave no reason"}");
        }
    }

    private static int Done(CommandContext ctx, string line)
    {
        ctx.Console.Line(line);
        return 0;
    }

    private static string Status(string status) => status.ToLowerInvariant().Replace('_', ' ');
}
