// Granary sample: answers every request with a greeting naming the instance that served it.
const http = require("node:http");

const port = Number(process.env.PORT || 8080);
const index = process.env.GRANARY_INSTANCE_INDEX ?? "?";
let appName = "node-hello";
try {
  appName = JSON.parse(process.env.GRANARY_APPLICATION || "{}").app_name || appName;
} catch {
  // Not running on Granary: keep the default name.
}

const server = http.createServer((request, response) => {
  if (request.url === "/healthz") {
    response.writeHead(200, { "Content-Type": "text/plain" });
    response.end("ok\n");
    return;
  }
  response.writeHead(200, { "Content-Type": "text/plain; charset=utf-8" });
  response.end(`Hello from ${appName} (node ${process.version}), instance ${index}\n`);
});

server.listen(port, "0.0.0.0", () => console.log(`node-hello instance ${index} listening on port ${port}`));

// Exit promptly on stop so a rolling restart does not wait out the grace period.
process.on("SIGTERM", () => server.close(() => process.exit(0)));
