#!/usr/bin/env python3
"""The warm-service experiment: the same runs against a service each run boots for itself
(per-run.yml) and against one shared service started once, outside the runs (shared.yml).
Prints, for each, the throughput of back-to-back runs and what the service's CPU costs: per run,
and the steady tax of keeping it up while no run uses it.
    python3 compare.py [RUNS]      (ciperf from $CIPERF, else PATH)
The per-run service's CPU is what ciperf recorded as its service cost (its cgroup's cpu.stat,
read at each later phase's start and end: ARCHITECTURE.md "How a phase runs"), so it needs cgroup
accounting; the shared service's is read from /proc/PID/stat, as it is no run's.
"""
import json
import os
import subprocess
import sys
import tempfile
import time
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
PYTHON = "/usr/bin/python3"
SHARED_PORT = 18097
IDLE_S = 5.0
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def cpu_s(pid):
    fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS  # utime + stime


def wait_ready(port):
    while True:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=1)
            return
        except OSError:
            time.sleep(0.02)


def ciperf_runs(pipeline, runs, work):
    """Runs the pipeline `runs` times back to back; its results.json documents and the wall."""
    ciperf = os.environ.get("CIPERF", "ciperf")
    results = []
    start = time.monotonic()
    for i in range(runs):
        out = os.path.join(work, f"{pipeline}-{i}")
        subprocess.run([ciperf, "run", os.path.join(HERE, pipeline), "--store",
                        os.path.join(work, "store.db"), "--out", out],
                       check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        with open(os.path.join(out, "results.json")) as f:
            results.append(json.load(f))
    return results, time.monotonic() - start


def service_cost(run):
    """The CPU ciperf charged to the run's services and the wall of the phases it was measured
    over (every phase after the one that started them), or None without cgroup accounting."""
    if run.get("accounting") != "cgroup":
        return None
    measured = [p for p in run["phases"] if p.get("services")]
    cpu = sum(s["user_s"] + s["sys_s"] for p in measured for s in p["services"])
    return cpu, sum(p["wall_s"] for p in measured)


def per_run(runs, work):
    results, wall = ciperf_runs("per-run.yml", runs, work)
    costs = [service_cost(r) for r in results]
    if None in costs:
        cpu = cores = None
    else:
        cpu = sum(c for c, _ in costs) / runs
        cores = sum(c for c, _ in costs) / sum(s for _, s in costs)
    # Nothing is up between runs: no idle tax, and the boot is in every run's CPU.
    return {"throughput": runs / wall * 60, "cpu_per_run": cpu, "cores_up": cores,
            "boot_cpu": None, "idle_cores": 0.0}


def shared(runs, work):
    service = subprocess.Popen([PYTHON, os.path.join(HERE, "service.py"), str(SHARED_PORT)],
                               start_new_session=True)
    try:
        wait_ready(SHARED_PORT)
        boot = cpu_s(service.pid)
        before = cpu_s(service.pid)
        time.sleep(IDLE_S)  # nobody uses it: what being up costs
        idle_cores = (cpu_s(service.pid) - before) / IDLE_S
        before = cpu_s(service.pid)
        results, wall = ciperf_runs("shared.yml", runs, work)
        used = cpu_s(service.pid) - before
    finally:
        service.terminate()
        service.wait()
    return {"throughput": runs / wall * 60, "cpu_per_run": used / runs, "cores_up": used / wall,
            "boot_cpu": boot, "idle_cores": idle_cores}


def cell(value, unit, digits=2):
    return "-" if value is None else f"{value:.{digits}f}{unit}"


def main():
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    with tempfile.TemporaryDirectory() as work:
        rows = {"per run": per_run(runs, work), "shared": shared(runs, work)}
    print(f"{runs} back-to-back runs each (CPU/run: the service's CPU per run, its boot included "
          "when it is per run;\nwhile up: its cores while the runs used it; idle tax: its cores "
          "between runs, when nobody uses it)")
    print(f"{'service':8}  {'runs/min':>8}  {'CPU/run':>8}  {'while up':>14}  {'boot CPU':>8}  "
          f"{'idle tax':>12}")
    for name, r in rows.items():
        print(f"{name:8}  {r['throughput']:8.1f}  {cell(r['cpu_per_run'], 's'):>8}  "
              f"{cell(r['cores_up'], ' cores', 3):>14}  {cell(r['boot_cpu'], 's'):>8}  "
              f"{cell(r['idle_cores'], ' cores', 3):>12}")
    per, shared_row = rows["per run"], rows["shared"]
    if per["cpu_per_run"] is not None and per["cpu_per_run"] > shared_row["cpu_per_run"]:
        saved = per["cpu_per_run"] - shared_row["cpu_per_run"]
        day = shared_row["idle_cores"] * 86400
        print(f"always on, the shared service costs {day / 3600:.2f} CPU-hours a day idle; it "
              f"saves {saved:.2f}s of CPU a run, so it pays for itself past {day / saved:.0f} "
              "runs a day")


if __name__ == "__main__":
    main()
