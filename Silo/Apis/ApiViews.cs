using System.Collections.Immutable;
using Granary.Apps;
using Granary.Instances;
using Granary.Logs;
using Granary.Routes;
using Granary.Silo.Hosting;

namespace Granary.Silo.Apis;

/// <summary>Maps grain records to API shapes and request bodies to specs. Pure.</summary>
public static class ApiViews
{
    public const int DefaultMemoryMb = 256;

    public static AppView ToView(this AppDetails app, IReadOnlyList<InstanceInfo> instances, NodeSettings node) => new(
        app.Id, app.Spec.Name, app.Space, app.Spec.State, app.Spec.Instances, app.Spec.MemoryMb, app.Spec.Env,
        app.Spec.Command, app.Spec.HealthCheck.ToBody(), app.Version,
        app.Droplet is { } d ? new DropletView(d.Hash, d.Framework, d.StartCommand, d.SizeBytes, d.StagedAt) : null,
        new StagingView(app.Staging.State, app.Staging.BuildId, app.Staging.PackageId, app.Staging.Error,
            app.Staging.StartedAt, app.Staging.FinishedAt),
        instances.Count(i => i.State == InstanceState.Running),
        instances.Select(ToView).ToList(),
        app.Routes.Select(node.RouteUrl).ToList(),
        app.CreatedAt, app.UpdatedAt,
        app.Routes, app.Policy.LoadBalancing, app.Policy.StickySessions);

    public static InstanceView ToView(this InstanceInfo i) =>
        new(i.Index, i.InstanceId, i.State, i.NodeId, i.Host, i.Port, i.Since, i.Restarts, i.LastExitCode, i.Message,
            i.Flapping, i.CrashesInARow, i.Flapping ? i.NextRestartAt : null);

    public static CrashView ToView(this Granary.Health.CrashRecord c) =>
        new(c.CrashedAt, c.Index, c.InstanceId, c.NodeId, c.ExitCode, c.Reason,
            Math.Round(Math.Max(0, (c.CrashedAt - c.StartedAt).TotalSeconds), 1), c.LastLines);

    public static NodeView ToView(this Granary.Health.NodeHealth n) =>
        new(n.NodeId, n.Status, n.LastHeartbeat, n.Draining, n.Instances, n.MemoryMb, n.UsedMemoryMb, n.Reason);

    public static EventView ToView(this AppEvent e) => new(e.Time, e.Type, e.Message, e.Data, e.Actor ?? Granary.Users.Actor.Platform);

    public static LogLineView ToView(this LogLine l) => new(l.Seq, l.Time, l.Source, l.Stream, l.Text);

    public static HealthCheckBody ToBody(this HealthCheckSpec h) => new(h.Type, h.Path, h.TimeoutSeconds);

    public static HealthCheckSpec ToSpec(this HealthCheckBody b) =>
        new(b.Type, b.Path, b.TimeoutSeconds ?? HealthCheckSpec.Default.TimeoutSeconds);

    public static AppSpec ToSpec(this CreateAppRequest r) => new(
        r.Name ?? "",
        r.Instances ?? 1,
        r.MemoryMb ?? DefaultMemoryMb,
        (r.Env ?? []).ToImmutableDictionary(),
        string.IsNullOrEmpty(r.Command) ? null : r.Command,
        r.HealthCheck?.ToSpec() ?? HealthCheckSpec.Default,
        r.State ?? AppState.Started,
        r.NoRoute ?? false);

    public static AppUpdate ToUpdate(this UpdateAppRequest r, RoutePolicy current) => new(
        r.Name,
        r.Instances,
        r.MemoryMb,
        r.Env?.ToImmutableDictionary(),
        string.IsNullOrEmpty(r.Command) ? null : r.Command,
        r.HealthCheck?.ToSpec(),
        r.State,
        ClearCommand: r.Command is "",
        Policy: r.LoadBalancing is null && r.StickySessions is null
            ? null
            : new RoutePolicy(r.LoadBalancing ?? current.LoadBalancing, r.StickySessions ?? current.StickySessions));
}
