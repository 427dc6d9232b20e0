namespace Granary.Edge.Routing;

/// <summary>Keys and values the mapper writes into YARP metadata and the traffic middlewares read back.</summary>
public static class EdgeMetadata
{
    /// <summary>Route metadata: what a route is for (<see cref="AppRoute"/> or <see cref="UnknownHostRoute"/>).</summary>
    public const string Kind = "granary.kind";

    public const string AppRoute = "app";

    public const string UnknownHostRoute = "unknown-host";

    /// <summary>Route and cluster metadata: the app's id (the cluster id too).</summary>
    public const string AppId = "granary.app-id";

    /// <summary>Route and cluster metadata: the app's name, used in error bodies, logs and metric tags.</summary>
    public const string AppName = "granary.app-name";

    /// <summary>Destination metadata: the instance index, as invariant digits.</summary>
    public const string InstanceIndex = "granary.instance-index";

    /// <summary>Route and cluster id of the low-priority catch-all that answers unknown hosts.</summary>
    public const string UnknownHostId = "granary-unknown-host";
}
