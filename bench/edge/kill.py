#!/usr/bin/env python3
"""Timed instance kill: the app runs 3 instances; a client loop of GETs runs through the edge while one instance's
processes get kill -9. For each round prints: when the edge took the instance out of rotation (its passive-health
log line: the first refused connection), when the route table dropped it (a probe targeting the instance with
X-Granary-Instance stops getting 502), the last 200 the killed instance served, and the 5xx the loop saw.
Then p50/max over the rounds. Same machine, same wall clock; asserts nothing."""
import argparse, datetime, http.client, json, os, re, signal, statistics, sys, threading, time, urllib.request

p = argparse.ArgumentParser()
p.add_argument("--api", required=True)
p.add_argument("--token", required=True)
p.add_argument("--edge-port", type=int, required=True)
p.add_argument("--edge-log", required=True, help="the edge's log file (its ejection lines are read)")
p.add_argument("--app", required=True)
p.add_argument("--domain", default="localhost")
p.add_argument("--rounds", type=int, default=5)
a = p.parse_args()

def api(method, path, body=None):
    req = urllib.request.Request(a.api + path, method=method, data=None if body is None else json.dumps(body).encode(),
                                 headers={"Authorization": "Bearer " + a.token, "Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=30) as r:
        return json.loads(r.read() or b"null")

app_id = next(x["id"] for x in api("GET", "/v1/apps") if x["name"] == a.app)
host = f"{a.app}.{a.domain}"

class Edge:
    def __init__(self): self.c = http.client.HTTPConnection("127.0.0.1", a.edge_port, timeout=10)
    def get(self, headers=None):
        try:
            self.c.request("GET", "/", headers={"Host": host, **(headers or {})})
            r = self.c.getresponse(); r.read()
            return r.status, r.getheader("X-Granary-Instance-Index")
        except (http.client.HTTPException, OSError):
            self.c.close(); self.c = http.client.HTTPConnection("127.0.0.1", a.edge_port, timeout=10)
            return 0, None

def until(cond, what, timeout=60):
    deadline = time.time() + timeout
    while not cond():
        if time.time() > deadline: sys.exit(f"kill: never {what}")
        time.sleep(0.05)

probe = Edge()
def serving(index): return probe.get({"X-Granary-Instance": f"{app_id}:{index}"})[0] == 200
def running():
    return [d for d in api("GET", f"/v1/apps/{app_id}")["instanceDetails"] if d["state"] == "RUNNING"]
def all_running(): return sorted(d["index"] for d in running()) == [0, 1, 2]

def pids_of(instance_id):
    found = []
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            if f"GRANARY_INSTANCE_ID={instance_id}".encode() in open(f"/proc/{pid}/environ", "rb").read(): found.append(int(pid))
        except OSError: pass
    return found

def ejections(victim):
    """UTC timestamps of the edge's 'taken out of rotation' lines for this instance index."""
    stamps = []
    for line in open(a.edge_log, errors="replace"):
        m = re.match(r"(\S+Z) .*instance (\d+) taken out of rotation", line)
        if m and int(m.group(2)) == victim:
            stamps.append(datetime.datetime.fromisoformat(m.group(1).replace("Z", "+00:00")).timestamp())
    return stamps

api("PATCH", f"/v1/apps/{app_id}", {"instances": 3})
results = []
for round_ in range(a.rounds):
    until(all_running, "had 3 RUNNING instances", timeout=180)
    until(lambda: all(serving(i) for i in range(3)), "routed 3 instances")
    victim = 1 + round_ % 2
    instance = next(d for d in running() if d["index"] == victim)
    pids = pids_of(instance["instanceId"])
    log, stop = [], threading.Event()
    def loop():
        e = Edge()
        while not stop.is_set():
            status, index = e.get(); log.append((time.time(), status, index))
    t = threading.Thread(target=loop); t.start()
    time.sleep(0.5)
    killed = time.time()
    for pid in pids:
        try: os.kill(pid, signal.SIGKILL)
        except ProcessLookupError: pass
    removed = None
    while time.time() - killed < 10:
        status, _ = probe.get({"X-Granary-Instance": f"{app_id}:{victim}"})
        if status != 502 and removed is None: removed = time.time() - killed
        if removed is not None and time.time() - killed > 2: break
        time.sleep(0.002)
    stop.set(); t.join()
    after = [x for x in log if x[0] >= killed]
    errors = sum(1 for x in after if x[1] >= 500 or x[1] == 0)
    last_served = max((x[0] for x in log if x[1] == 200 and x[2] == str(victim) and x[0] <= killed + (removed or 10)), default=killed) - killed
    ejected = [s - killed for s in ejections(victim) if s >= killed - 0.01]
    results.append((ejected[0] if ejected else None, removed, last_served, errors, len(after)))
    print(f"round {round_ + 1}: instance {victim} ({len(pids)} processes) kill -9; ejected by the edge after "
          f"{'%.0f ms' % (ejected[0] * 1000) if ejected else 'never (no refused request)'}, dropped from the route table after "
          f"{'%.0f ms' % (removed * 1000) if removed is not None else '> 10 s'}; last 200 from it {last_served * 1000:.0f} ms after the kill; "
          f"{errors} 5xx of {len(after)} requests after the kill")

def summary(values, what):
    values = [v for v in values if v is not None]
    return f"{what} p50 {statistics.median(values) * 1000:.0f} ms max {max(values) * 1000:.0f} ms" if values else f"{what} n/a"
print(f"kill -9 of one of 3 instances, {len(results)} rounds: {summary([r[0] for r in results], 'ejected')}; "
      f"{summary([r[1] for r in results], 'dropped from the table')}; {summary([r[2] for r in results], 'last 200 from it')}; "
      f"5xx per kill {[r[3] for r in results]} (max {max(r[3] for r in results)})")
api("PATCH", f"/v1/apps/{app_id}", {"instances": 1})
