// Granary sample: starts listening, then crashes with exit code 3 after a second.
const http = require("node:http");

const port = Number(process.env.PORT || 8080);
const index = process.env.GRANARY_INSTANCE_INDEX ?? "?";

http
  .createServer((request, response) => response.end(`crashy instance ${index}, not for long\n`))
  .listen(port, "0.0.0.0", () => console.log(`crashy instance ${index} listening on port ${port}`));

setTimeout(() => {
  console.error(`crashy instance ${index}: crashing on purpose with exit code 3`);
  process.exit(3);
}, 1000);
