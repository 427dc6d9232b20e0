// Upstream app of the edge conformance suite (Tests/Edge/Conformance): each endpoint answers in one way that a
// proxy can get wrong, so the same request sent directly and through the edge must come back the same.
// No npm dependencies: the suite pushes this folder as it is.
"use strict";
const http = require("node:http");
const crypto = require("node:crypto");
const zlib = require("node:zlib");

const port = Number(process.env.PORT || 8080);
const piece = 16 * 1024;

// Byte i of every generated body is Pattern.ByteAt(i) in Pattern.cs: a period that is no power of two, so a
// body shifted or spliced at a buffer boundary hashes differently.
const period = 65521;
const pattern = Buffer.alloc(period * 2);
for (let i = 0; i < pattern.length; i++) pattern[i] = ((i % period) * 31 + 7) & 0xff;
const slice = (offset, length) => pattern.subarray(offset % period, (offset % period) + length);

// Text compresses well, so the gzip body is much smaller than what it decodes to: a proxy that decoded or
// re-encoded it would change both length and hash.
const gzipped = zlib.gzipSync(Buffer.from("granary edge conformance: this body is gzip on the wire.\n".repeat(2000)), { level: 9 });

const stats = { endlessStarted: 0, endlessCompleted: 0, endlessAborted: 0 };

// Writes `total` pattern bytes in pieces of `size`, waiting for drain so a 50 MB body does not sit in memory,
// and `delay` ms between pieces when given. Resolves false when the connection closed first.
function writePattern(res, total, size, delay = 0) {
  return new Promise((resolve) => {
    let offset = 0;
    let closed = false;
    res.on("close", () => { closed = true; resolve(false); });
    const next = () => {
      while (!closed && offset < total) {
        const length = Math.min(size, total - offset, period);
        const ok = res.write(slice(offset, length));
        offset += length;
        if (delay > 0 && offset < total) return void setTimeout(next, delay);
        if (!ok) return void res.once("drain", next);
      }
      if (!closed) resolve(true);
    };
    next();
  });
}

function bytes(req, res, size, mode) {
  const headers = { "Content-Type": "application/octet-stream", "X-Pattern-Length": String(size) };
  if (mode === "length") headers["Content-Length"] = String(size);
  res.writeHead(200, headers);
  if (req.method === "HEAD") return res.end();
  writePattern(res, size, piece).then((done) => done && res.end());
}

function upload(req, res) {
  const hash = crypto.createHash("sha256");
  let length = 0;
  req.on("data", (chunk) => { hash.update(chunk); length += chunk.length; });
  req.on("end", () => json(res, 200, { length, sha256: hash.digest("hex") }));
}

function notModified(req, res) {
  const etag = '"conformance-v1"';
  if (req.headers["if-none-match"] === etag) {
    res.writeHead(304, { ETag: etag, "Cache-Control": "max-age=60" });
    return res.end();
  }
  const body = "cacheable body\n";
  res.writeHead(200, { ETag: etag, "Cache-Control": "max-age=60", "Content-Type": "text/plain", "Content-Length": Buffer.byteLength(body) });
  res.end(body);
}

function trailers(res) {
  const rows = Array.from({ length: 50 }, (_, i) => `row ${i}\n`);
  const hash = crypto.createHash("sha256");
  res.writeHead(200, { "Content-Type": "text/plain", Trailer: "X-Checksum, X-Row-Count" });
  for (const row of rows) { res.write(row); hash.update(row); }
  res.addTrailers({ "X-Checksum": hash.digest("hex"), "X-Row-Count": String(rows.length) });
  res.end();
}

function dribble(res, mode) {
  const total = 10 * 1000;
  const headers = { "Content-Type": "application/octet-stream" };
  if (mode === "length") headers["Content-Length"] = String(total);
  res.writeHead(200, headers);
  writePattern(res, total, 1000, 200).then((done) => done && res.end());
}

function closeMidBody(res, mode) {
  const headers = { "Content-Type": "application/octet-stream" };
  if (mode === "length") headers["Content-Length"] = "100000";
  res.writeHead(200, headers);
  res.write(slice(0, 40000), () => setTimeout(() => res.socket?.destroy(), 50));
}

function endless(res) {
  stats.endlessStarted++;
  let finished = false;
  res.on("finish", () => { finished = true; stats.endlessCompleted++; });
  res.on("close", () => { if (!finished) stats.endlessAborted++; });
  res.writeHead(200, { "Content-Type": "application/octet-stream" });
  // 64 KiB every 10 ms, capped at 1 GiB: minutes of body, so only a client that leaves ends it.
  writePattern(res, 1024 * 1024 * 1024, 64 * 1024, 10).then((done) => done && res.end());
}

function json(res, status, value) {
  const body = JSON.stringify(value);
  res.writeHead(status, { "Content-Type": "application/json", "Content-Length": Buffer.byteLength(body) });
  res.end(body);
}

const server = http.createServer((req, res) => {
  const url = new URL(req.url, "http://app");
  const mode = url.searchParams.get("mode") === "chunked" ? "chunked" : "length";
  const sized = /^\/bytes\/(\d+)$/.exec(url.pathname);
  if (sized) return bytes(req, res, Number(sized[1]), mode);
  switch (url.pathname) {
    case "/upload": return req.method === "POST" ? upload(req, res) : json(res, 405, { error: "POST only" });
    case "/status/204": res.writeHead(204, { "X-Case": "no-content" }); return res.end();
    case "/status/304": return notModified(req, res);
    case "/gzip":
      res.writeHead(200, { "Content-Type": "text/plain", "Content-Encoding": "gzip", "Content-Length": gzipped.length, Vary: "Accept-Encoding" });
      return res.end(req.method === "HEAD" ? undefined : gzipped);
    case "/trailers": return trailers(res);
    case "/dribble": return dribble(res, mode);
    case "/close-mid-body": return closeMidBody(res, mode);
    case "/endless": return endless(res);
    case "/stats": return json(res, 200, stats);
    default: return json(res, 404, { error: `no endpoint ${url.pathname}` });
  }
});

// Node closes idle kept-alive connections after 5 s by default; the edge keeps idle ones pooled for 30 s. Past
// that, a request the edge sends just as node closes fails for reasons of this app's setup, not the edge's.
server.keepAliveTimeout = 60_000;
server.listen(port, "0.0.0.0", () => console.log(`conformance app listening on port ${port}`));
process.on("SIGTERM", () => server.close(() => process.exit(0)));
