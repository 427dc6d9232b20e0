using System.Text.Json;
using Granary.Telemetry;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Granary.Services;

/// <summary>
/// One registered broker. Requests go out one at a time (the grain is not reentrant), which also
/// serializes this platform's operations per broker, as brokers without concurrency support expect.
/// </summary>
public sealed partial class ServiceBrokerGrain(
    [PersistentState("service-broker", GrainStorage.Name)] IPersistentState<ServiceBrokerGrainState> state,
    ServiceBrokerHttp http,
    IOptions<ServiceBrokerOptions> options,
    TimeProvider time,
    ILogger<ServiceBrokerGrain> logger) : Grain, IServiceBrokerGrain
{
    private IGrainTimer? _timer;

    private string Name => this.GetPrimaryKeyString();

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        EnsureTimer();
        return Task.CompletedTask;
    }

    public async Task<ServiceBrokerInfo> Register(BrokerRegistration registration)
    {
        var catalog = await FetchCatalogAsync(registration);
        state.State.Registration = registration;
        state.State.Catalog = catalog;
        state.State.CatalogFetchedAt = time.GetUtcNow();
        await state.WriteStateAsync();
        LogRegistered(Name, registration.Url, catalog.Length);
        return Info()!;
    }

    public Task<ServiceBrokerInfo?> Get() => Task.FromResult(Info());

    public async Task<ServiceBrokerInfo> RefreshCatalog()
    {
        var registration = Registered();
        state.State.Catalog = await FetchCatalogAsync(registration);
        state.State.CatalogFetchedAt = time.GetUtcNow();
        await state.WriteStateAsync();
        return Info()!;
    }

    public async Task Delete()
    {
        if (state.State.Instances.Count > 0)
            throw new ServiceConflictException(
                $"broker {Name} still has {state.State.Instances.Count} service instance(s); delete them first (granary services)");
        await state.ClearStateAsync();
        state.State = new ServiceBrokerGrainState();
        _timer?.Dispose();
        _timer = null;
    }

    public async Task<BrokerOperationResult> Provision(Guid instanceId, string serviceId, string planId)
    {
        var body = JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["service_id"] = serviceId,
            ["plan_id"] = planId,
            ["organization_guid"] = "granary",
            ["space_guid"] = "default",
            ["context"] = new Dictionary<string, string> { ["platform"] = "granary", ["instance_id"] = instanceId.ToString() },
        });
        var outcome = await SendAsync(OsbRequestKind.Provision, HttpMethod.Put, $"v2/service_instances/{instanceId}?accepts_incomplete=true", body);
        if (outcome.MitigateOrphan)
            AddOrphan(new OrphanCleanup(instanceId, null, serviceId, planId, 0, time.GetUtcNow(), outcome.Description));
        if (outcome.Succeeded)
            state.State.Instances.Add(instanceId);
        var result = await StartOrFinishAsync(instanceId, OsbRequestKind.Provision, serviceId, planId, outcome);
        await state.WriteStateAsync();
        EnsureTimer();
        return result;
    }

    public async Task<BrokerOperationResult> Deprovision(Guid instanceId, string serviceId, string planId)
    {
        var outcome = await SendAsync(OsbRequestKind.Deprovision, HttpMethod.Delete,
            $"v2/service_instances/{instanceId}?accepts_incomplete=true&service_id={Uri.EscapeDataString(serviceId)}&plan_id={Uri.EscapeDataString(planId)}", null);
        if (outcome.Verdict is OsbVerdict.Done or OsbVerdict.Gone)
            state.State.Instances.Remove(instanceId);
        var result = await StartOrFinishAsync(instanceId, OsbRequestKind.Deprovision, serviceId, planId, outcome);
        await state.WriteStateAsync();
        EnsureTimer();
        return result;
    }

    public async Task<ServiceCredentials> Bind(Guid instanceId, Guid bindingId, string serviceId, string planId, Guid appId)
    {
        var body = JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["service_id"] = serviceId,
            ["plan_id"] = planId,
            ["app_guid"] = appId.ToString(),
            ["bind_resource"] = new Dictionary<string, string> { ["app_guid"] = appId.ToString() },
            ["context"] = new Dictionary<string, string> { ["platform"] = "granary" },
        });
        var outcome = await SendAsync(OsbRequestKind.Bind, HttpMethod.Put, $"v2/service_instances/{instanceId}/service_bindings/{bindingId}", body);
        if (outcome.MitigateOrphan)
        {
            AddOrphan(new OrphanCleanup(instanceId, bindingId, serviceId, planId, 0, time.GetUtcNow(), outcome.Description));
            await state.WriteStateAsync();
            EnsureTimer();
        }
        if (outcome.Verdict != OsbVerdict.Done)
            throw new ServiceBrokerException($"broker {Name} could not bind: {outcome.Description}");
        return outcome.Body.TryGetProperty("credentials", out var credentials) && credentials.ValueKind == JsonValueKind.Object
            ? new ServiceCredentials(credentials.GetRawText())
            : ServiceCredentials.Empty;
    }

    public async Task Unbind(Guid instanceId, Guid bindingId, string serviceId, string planId)
    {
        var outcome = await SendAsync(OsbRequestKind.Unbind, HttpMethod.Delete,
            $"v2/service_instances/{instanceId}/service_bindings/{bindingId}?service_id={Uri.EscapeDataString(serviceId)}&plan_id={Uri.EscapeDataString(planId)}", null);
        if (outcome.Verdict is not (OsbVerdict.Done or OsbVerdict.Gone))
            throw new ServiceBrokerException($"broker {Name} could not unbind: {outcome.Description}");
    }

    public Task<int> PendingOrphanCleanups() => Task.FromResult(state.State.Orphans.Count);

    private async Task<BrokerOperationResult> StartOrFinishAsync(Guid instanceId, OsbRequestKind kind, string serviceId, string planId, OsbOutcome outcome)
    {
        switch (outcome.Verdict)
        {
            case OsbVerdict.Accepted:
                var operation = outcome.Body.ValueKind == JsonValueKind.Object && outcome.Body.TryGetProperty("operation", out var op)
                    && op.ValueKind == JsonValueKind.String ? op.GetString() : null;
                state.State.Pending.RemoveAll(p => p.InstanceId == instanceId);
                state.State.Pending.Add(new PendingOperation(instanceId, kind, serviceId, planId, operation, time.GetUtcNow() + PollingLimit(serviceId, planId)));
                return new BrokerOperationResult(BrokerOperationState.InProgress, $"the broker is working on it ({kind.ToString().ToLowerInvariant()} accepted)");
            case OsbVerdict.Done or OsbVerdict.Gone:
                return new BrokerOperationResult(BrokerOperationState.Succeeded, null);
            default:
                await Task.CompletedTask;
                return new BrokerOperationResult(BrokerOperationState.Failed,
                    $"broker {Name} {(outcome.Verdict == OsbVerdict.Rejected ? "refused" : "failed")}: {outcome.Description}");
        }
    }

    private TimeSpan PollingLimit(string serviceId, string planId) =>
        state.State.Catalog.FirstOrDefault(s => s.Id == serviceId)?.Plans.FirstOrDefault(p => p.Id == planId)?.MaximumPollingDurationSeconds is { } seconds
            ? TimeSpan.FromSeconds(seconds)
            : options.Value.MaximumPollingDuration;

    private async Task<OsbOutcome> SendAsync(OsbRequestKind kind, HttpMethod method, string path, string? body)
    {
        using var activity = GranaryTelemetry.ActivitySource.StartActivity($"osb {kind.ToString().ToLowerInvariant()}");
        activity?.SetTag("granary.service_broker", Name);
        var reply = await http.SendAsync(Registered(), method, path, body);
        var outcome = OsbOutcomes.Classify(kind, reply);
        activity?.SetTag("http.response.status_code", reply.Status);
        ServiceTelemetry.BrokerRequests.Add(1, new KeyValuePair<string, object?>("kind", kind.ToString()), new KeyValuePair<string, object?>("verdict", outcome.Verdict.ToString()));
        if (!outcome.Succeeded)
            LogRequestFailed(Name, kind, reply.Status, outcome.Description, outcome.MitigateOrphan);
        return outcome;
    }

    private async Task<System.Collections.Immutable.ImmutableArray<ServiceOffering>> FetchCatalogAsync(BrokerRegistration registration)
    {
        var reply = await http.SendAsync(registration, HttpMethod.Get, "v2/catalog", null);
        if (reply.Status is not 200)
            throw new ServiceBrokerException(reply.Status switch
            {
                null => $"broker {registration.Name} at {registration.Url} did not answer: {reply.Body}",
                401 => $"broker {registration.Name} refused the user name and password (401)",
                412 => $"broker {registration.Name} does not speak OSB API {ServiceBrokerHttp.ApiVersion} (412): {OsbOutcomes.Describe(412, OsbOutcomes.ParseObject(reply.Body))}",
                var s => $"broker {registration.Name} answered {s} to GET /v2/catalog: {OsbOutcomes.Describe(s.Value, OsbOutcomes.ParseObject(reply.Body))}",
            });
        var root = OsbOutcomes.ParseObject(reply.Body) ?? throw new ServiceBrokerException("the broker's catalog is not a JSON object");
        return BrokerCatalog.Parse(root);
    }

    private BrokerRegistration Registered() =>
        state.State.Registration ?? throw new ServiceNotFoundException($"no service broker named {Name} (granary service-brokers lists them)");

    private ServiceBrokerInfo? Info() => state.State.Registration is { } r
        ? new ServiceBrokerInfo(Name, r.Url, r.Username, state.State.Catalog, state.State.CatalogFetchedAt)
        : null;

    private void AddOrphan(OrphanCleanup cleanup)
    {
        state.State.Orphans.RemoveAll(o => o.InstanceId == cleanup.InstanceId && o.BindingId == cleanup.BindingId);
        state.State.Orphans.Add(cleanup);
        LogOrphan(Name, cleanup.InstanceId, cleanup.BindingId, cleanup.Reason);
    }

    private void EnsureTimer()
    {
        var busy = state.State.Pending.Count > 0 || state.State.Orphans.Count > 0;
        if (busy && _timer is null)
            _timer = this.RegisterGrainTimer(TickAsync, new GrainTimerCreationOptions(options.Value.PollInterval, options.Value.PollInterval) { KeepAlive = true });
        else if (!busy && _timer is not null)
        {
            _timer.Dispose();
            _timer = null;
        }
    }
}
