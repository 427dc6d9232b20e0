using Granary.Edge.Hosting;

// The edge: `dotnet Granary.Edge.dll --urls http://0.0.0.0:7780 --Orleans:ClusterId=ID --Orleans:GatewayPort=PORT`
// (see README.md). It serves its last route table whatever happens to the control plane.
EdgeApp.PreferInlineSocketCompletions();
await EdgeApp.Create(args).RunAsync();
