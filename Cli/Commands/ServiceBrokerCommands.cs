using System.CommandLine;
using Granary.Cli.Api;
using Granary.Cli.Output;

namespace Granary.Cli.Commands;

/// <summary><c>create-service-broker</c>, <c>service-brokers</c>, <c>delete-service-broker</c>, <c>marketplace</c>.</summary>
internal static class ServiceBrokerCommands
{
    public static Command Create(CliHost host)
    {
        var name = new Argument<string>("NAME") { Description = "A name for the broker" };
        var url = new Argument<string>("URL") { Description = "The broker's base URL (it serves /v2/catalog)" };
        var user = new Argument<string>("USER") { Description = "Basic auth user name the broker expects" };
        var password = new Argument<string>("PASS") { Description = "Basic auth password the broker expects" };
        var command = new Command("create-service-broker", "Register an Open Service Broker API 2.17 broker and read its catalog") { name, url, user, password };
        command.SetAction(host, async (parse, ctx, ct) =>
        {
            var broker = await ctx.Api.CreateServiceBrokerAsync(new CreateServiceBrokerRequest(
                parse.GetValue(name)!, parse.GetValue(url)!, parse.GetValue(user)!, parse.GetValue(password)!), ct);
            var services = string.Join(", ", broker.Services.Select(s => s.Service));
            ctx.Console.Line($"Registered {broker.Name} at {broker.Url}: {(services.Length == 0 ? "no services" : services)} (./granary marketplace)");
            return 0;
        });
        return command;
    }

    public static Command List(CliHost host)
    {
        var json = GlobalOptions.Json();
        var command = new Command("service-brokers", "List registered service brokers") { json };
        command.SetAction(host, async (parse, ctx, ct) =>
        {
            var (brokers, raw) = await ctx.Api.ListServiceBrokersAsync(ct);
            if (parse.GetValue(json))
            {
                ctx.Console.Line(raw.Trim());
                return 0;
            }
            if (brokers.Count == 0)
            {
                ctx.Console.Line("No service brokers: ./granary create-service-broker NAME URL USER PASS");
                return 0;
            }
            TextTable.Write(ctx.Console, ["name", "url", "services"], brokers.Select(b => (IReadOnlyList<string>)
                [b.Name, b.Url, string.Join(", ", b.Services.Select(s => s.Service))]));
            return 0;
        });
        return command;
    }

    public static Command Delete(CliHost host)
    {
        var name = new Argument<string>("NAME") { Description = "The broker's name" };
        var command = new Command("delete-service-broker", "Forget a service broker (refused while it has service instances)") { name };
        command.SetAction(host, async (parse, ctx, ct) =>
        {
            await ctx.Api.DeleteServiceBrokerAsync(parse.GetValue(name)!, ct);
            ctx.Console.Line($"Deleted service broker {parse.GetValue(name)}");
            return 0;
        });
        return command;
    }

    public static Command Marketplace(CliHost host)
    {
        var json = GlobalOptions.Json();
        var command = new Command("marketplace", "List the services and plans registered brokers offer") { json };
        command.SetAction(host, async (parse, ctx, ct) =>
        {
            var (offerings, raw) = await ctx.Api.MarketplaceAsync(ct);
            if (parse.GetValue(json))
            {
                ctx.Console.Line(raw.Trim());
                return 0;
            }
            if (offerings.Count == 0)
            {
                ctx.Console.Line("Nothing on offer: register a broker with ./granary create-service-broker NAME URL USER PASS");
                return 0;
            }
            TextTable.Write(ctx.Console, ["service", "plans", "broker", "description"], offerings.Select(o => (IReadOnlyList<string>)
                [o.Service, string.Join(", ", o.Plans.Select(p => p.Name)), o.Broker, o.Description ?? ""]));
            return 0;
        });
        return command;
    }
}
