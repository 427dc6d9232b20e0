using System.Text.Json;
using System.Text.Json.Serialization;
using Granary.Cli.Config;
using Granary.Cli.Micro;

namespace Granary.Cli.Api;

// Source-generated so the CLI starts without reflection-based serializer warm-up.
[JsonSourceGenerationOptions(
    JsonSerializerDefaults.Web,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(App))]
[JsonSerializable(typeof(List<App>))]
[JsonSerializable(typeof(List<Instance>))]
[JsonSerializable(typeof(List<AppEvent>))]
[JsonSerializable(typeof(List<Crash>))]
[JsonSerializable(typeof(List<InstanceStat>))]
[JsonSerializable(typeof(List<Node>))]
[JsonSerializable(typeof(Node))]
[JsonSerializable(typeof(LogLine))]
[JsonSerializable(typeof(ServerInfo))]
[JsonSerializable(typeof(PackageUploaded))]
[JsonSerializable(typeof(BuildStarted))]
[JsonSerializable(typeof(List<RouteEntry>))]
[JsonSerializable(typeof(Problem))]
[JsonSerializable(typeof(CreateAppRequest))]
[JsonSerializable(typeof(PatchAppRequest))]
[JsonSerializable(typeof(StartBuildRequest))]
[JsonSerializable(typeof(MapRouteRequest))]
[JsonSerializable(typeof(Dictionary<string, string>))]
[JsonSerializable(typeof(ServiceBrokerEntry))]
[JsonSerializable(typeof(List<ServiceBrokerEntry>))]
[JsonSerializable(typeof(List<ServiceOfferingEntry>))]
[JsonSerializable(typeof(ServiceInstanceEntry))]
[JsonSerializable(typeof(List<ServiceInstanceEntry>))]
[JsonSerializable(typeof(ServiceBindingEntry))]
[JsonSerializable(typeof(List<ServiceBindingEntry>))]
[JsonSerializable(typeof(CreateServiceBrokerRequest))]
[JsonSerializable(typeof(CreateServiceInstanceRequest))]
[JsonSerializable(typeof(CreateUserProvidedServiceRequest))]
[JsonSerializable(typeof(CreateServiceBindingRequest))]
[JsonSerializable(typeof(CliConfig))]
[JsonSerializable(typeof(MicroState))]
[JsonSerializable(typeof(List<ClusterNode>))]
[JsonSerializable(typeof(ClusterJoin))]
[JsonSerializable(typeof(ClusterConfigView))]
[JsonSerializable(typeof(SetConfigRequest))]
[JsonSerializable(typeof(Granary.Cli.Node.NodeConfig))]
[JsonSerializable(typeof(Granary.Cli.Node.NodeStatusReport))]
internal sealed partial class CliJsonContext : JsonSerializerContext;
