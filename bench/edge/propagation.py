#!/usr/bin/env python3
"""Route propagation: repeated scale-ups of one app; for each new instance, the time from the moment the
control plane marked it RUNNING (its `since`) to the first 200 through the edge with
`X-Granary-Instance: APP_ID:INDEX`. Same machine, same wall clock. Prints p50/p99; asserts nothing."""
import argparse, datetime, http.client, json, sys, time, urllib.request

p = argparse.ArgumentParser()
p.add_argument("--api", required=True)
p.add_argument("--token", required=True)
p.add_argument("--edge-port", type=int, required=True)
p.add_argument("--app", required=True)
p.add_argument("--domain", default="localhost")
p.add_argument("--rounds", type=int, default=20)
p.add_argument("--verbose", action="store_true", help="print each scale-up's timestamps")
a = p.parse_args()

def api(method, path, body=None):
    req = urllib.request.Request(a.api + path, method=method, data=None if body is None else json.dumps(body).encode(),
                                 headers={"Authorization": "Bearer " + a.token, "Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=30) as r:
        return json.loads(r.read() or b"null")

app_id = next(x["id"] for x in api("GET", "/v1/apps") if x["name"] == a.app)
edge = http.client.HTTPConnection("127.0.0.1", a.edge_port, timeout=10)

def edge_status(index):
    global edge
    try:
        edge.request("GET", "/", headers={"Host": f"{a.app}.{a.domain}", "X-Granary-Instance": f"{app_id}:{index}"})
        r = edge.getresponse(); r.read()
        return r.status
    except (http.client.HTTPException, OSError):
        edge.close(); edge = http.client.HTTPConnection("127.0.0.1", a.edge_port, timeout=10)
        return 0

def until(cond, what, timeout=60, pause=0.0):
    deadline = time.time() + timeout
    while not cond():
        if time.time() > deadline:
            sys.exit(f"propagation: never {what}")
        if pause: time.sleep(pause)

def parse(ts):
    return datetime.datetime.fromisoformat(ts.replace("Z", "+00:00")).timestamp()

samples = []
for _ in range(a.rounds):
    api("PATCH", f"/v1/apps/{app_id}", {"instances": 2})
    # 2 ms between probes: 2 ms resolution, without a busy loop taking a core from the pipeline it times.
    until(lambda: edge_status(1) == 200, "routed instance 1", pause=0.002)
    routed = time.time()
    inst = next(i for i in api("GET", f"/v1/apps/{app_id}")["instanceDetails"] if i["index"] == 1)
    samples.append((routed - parse(inst["since"])) * 1000)
    if a.verbose:
        print(f"RUNNING since {inst['since']}  first 200 at {datetime.datetime.fromtimestamp(routed, datetime.timezone.utc).isoformat()}  {samples[-1]:.1f} ms")
    api("PATCH", f"/v1/apps/{app_id}", {"instances": 1})
    until(lambda: edge_status(1) == 404 and len(api("GET", f"/v1/apps/{app_id}")["instanceDetails"]) == 1, "scaled back", pause=0.05)

def pct(xs, q):
    xs = sorted(xs); return xs[min(len(xs) - 1, int(round(q / 100 * (len(xs) - 1))))]
print(f"route propagation, RUNNING -> first 200 through the edge ({len(samples)} scale-ups): "
      f"p50 {pct(samples, 50):.1f} ms  p99 {pct(samples, 99):.1f} ms  max {max(samples):.1f} ms  "
      f"(target p99 <= 100 ms: {'met' if pct(samples, 99) <= 100 else 'NOT met'})")
