#!/usr/bin/env python3
"""Instance crash -> replacement RUNNING and routed, over repeated kill -9s.

Usage: instance_kill.py APP KILLS   (GRANARY_HOME names the micro cloud; the app must be running)
Kills go round the app's instances, so with N instances each index crashes KILLS/N times; keep that at
3 or less, or the crash backoff (the 4th crash in a row waits 2 s, then 4 s, ...) is what gets measured.
Prints per-kill lines and p50/p99 of: kill -> replacement process spawned (detection and decision),
spawn -> first 200 through the edge for that index (the app's start, health check and routing), and
kill -> routed in all. Asserts nothing."""
import json, os, signal, sys, time, urllib.request, urllib.error

home = os.environ["GRANARY_HOME"]
config = json.load(open(os.path.join(home, "config.json")))
api, token, edge = config["api"], config["token"], config["edge"]
edge_port = int(edge.rsplit(":", 1)[1])
app_name, kills = sys.argv[1], int(sys.argv[2])

def call(path):
    request = urllib.request.Request(api + path, headers={"Authorization": "Bearer " + token})
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.load(response)

def through_edge(app_id, index):
    request = urllib.request.Request(f"http://127.0.0.1:{edge_port}/", headers={
        "Host": f"{app_name}.localhost", "X-Granary-Instance": f"{app_id}:{index}"})
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return response.status
    except urllib.error.HTTPError as e:
        return e.code
    except OSError:
        return 0

def pids_of(instance_id):
    needle = f"GRANARY_INSTANCE_ID={instance_id}".encode()
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/environ", "rb") as f:
                    if needle in f.read().split(b"\0"):
                        found.append(int(entry))
            except OSError:
                pass
    return found

ticks = os.sysconf("SC_CLK_TCK")
def started_at(pid):
    """When the process was created, as epoch seconds (10 ms resolution): its start in seconds since
    boot (/proc/PID/stat) against the uptime read at the same moment."""
    fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    uptime = float(open("/proc/uptime").read().split()[0])
    return time.time() - (uptime - int(fields[19]) / ticks)

def instances(app_id):
    return call(f"/v1/apps/{app_id}")["instanceDetails"]

def running(app_id, wanted):
    deadline = time.time() + 60
    while time.time() < deadline:
        current = instances(app_id)
        if len(current) == wanted and all(i["state"] == "RUNNING" for i in current):
            return current
        time.sleep(0.05)
    raise SystemExit(f"{app_name} never had {wanted} RUNNING instances")

app = call(f"/v1/apps?name={app_name}")[0]
app_id, wanted = app["id"], app["instances"]
detect, start, total = [], [], []
for round_ in range(kills):
    index = round_ % wanted
    victim = next(i for i in running(app_id, wanted) if i["index"] == index)
    pids = pids_of(victim["instanceId"])
    t_kill = time.time()
    for pid in pids:
        os.kill(pid, signal.SIGKILL)
    # The new instance: a RUNNING one at this index with another id, and the edge answering for it.
    new_id = None
    while new_id is None:
        for i in instances(app_id):
            if i["index"] == index and i["instanceId"] != victim["instanceId"] and i["state"] in ("STARTING", "RUNNING"):
                new_id = i["instanceId"]
        if time.time() - t_kill > 60:
            raise SystemExit(f"no replacement for instance {index} after 60 s")
        time.sleep(0.01)
    while through_edge(app_id, index) != 200 or not any(
            i["instanceId"] == new_id and i["state"] == "RUNNING" for i in instances(app_id)):
        time.sleep(0.005)
    t_routed = time.time()
    new_pids = pids_of(new_id)
    t_spawn = min(started_at(p) for p in new_pids) if new_pids else t_routed
    detect.append((t_spawn - t_kill) * 1000)
    start.append((t_routed - t_spawn) * 1000)
    total.append((t_routed - t_kill) * 1000)
    print(f"kill {round_ + 1:2d} (instance {index}): spawned after {detect[-1]:6.0f} ms, routed after {total[-1]:6.0f} ms")

def pct(xs, p):
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(p / 100 * (len(xs) - 1))))]

print(f"kills: {kills}")
print(f"kill -> replacement spawned (detect + decide + place)  p50 {pct(detect, 50):6.0f} ms  p99 {pct(detect, 99):6.0f} ms")
print(f"spawn -> first 200 through the edge (app start + route) p50 {pct(start, 50):6.0f} ms  p99 {pct(start, 99):6.0f} ms")
print(f"kill -> RUNNING and routed                             p50 {pct(total, 50):6.0f} ms  p99 {pct(total, 99):6.0f} ms")
print(json.dumps({"detect_p99_ms": round(pct(detect, 99)), "total_p50_ms": round(pct(total, 50)), "total_p99_ms": round(pct(total, 99))}))
