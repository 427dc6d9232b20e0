// Granary sample: counts visits in PostgreSQL. Bind a database and restart:
//   ./granary create-service postgresql small db1 && ./granary bind-service visits db1 && ./granary restart visits
// The count lives in the database, so it survives restarts and re-pushes.
const http = require("http");
const { Pool } = require("pg");

const port = Number(process.env.PORT || 8080);
const index = process.env.GRANARY_INSTANCE_INDEX || "?";
const databaseUrl = process.env.DATABASE_URL;

// The plan limits connections (small: 10), shared by every instance: keep the pool small.
const pool = databaseUrl ? new Pool({ connectionString: databaseUrl, max: 2 }) : null;
// An unbind ends this login's sessions; without a handler the idle client's error would crash the app.
pool?.on("error", (error) => console.error("database connection lost:", error.message));
let ready = null;

function ensureTable() {
  ready ??= pool.query("CREATE TABLE IF NOT EXISTS visits (id bigserial PRIMARY KEY, at timestamptz NOT NULL DEFAULT now())")
    .catch((error) => { ready = null; throw error; });
  return ready;
}

async function countVisit() {
  await ensureTable();
  await pool.query("INSERT INTO visits DEFAULT VALUES");
  const { rows } = await pool.query("SELECT count(*)::int AS n FROM visits");
  return rows[0].n;
}

function reply(res, status, text) {
  res.writeHead(status, { "Content-Type": "text/plain; charset=utf-8" });
  res.end(text + "\n");
}

const server = http.createServer(async (req, res) => {
  if (req.url !== "/") return reply(res, 404, "not found");
  if (!pool) return reply(res, 503, "no database bound: ./granary bind-service visits DB, then ./granary restart visits");
  try {
    reply(res, 200, `visits: ${await countVisit()} (instance ${index})`);
  } catch (error) {
    // The message names what failed (table, connection), never the password in DATABASE_URL.
    console.error("database error:", error.message);
    reply(res, 500, "database error: " + error.message);
  }
});

server.listen(port, () => console.log(`visits listening on ${port}, database ${pool ? "bound" : "not bound"}`));
process.on("SIGTERM", () => server.close(() => (pool ? pool.end() : Promise.resolve()).then(() => process.exit(0))));
