"""One bounded load run with wrk, and what the processes involved spent during it."""

import json
import os
import subprocess
import time

import proc_stats

LUA = os.path.join(os.path.dirname(os.path.abspath(__file__)), "requests.lua")


class Watched:
    """A process whose CPU time is accounted to a column: `tree` adds its children
    (PostgreSQL backends, nginx workers)."""

    def __init__(self, name, pid, tree=False):
        self.name = name
        self.pid = pid
        self.tree = tree

    def cpu(self):
        return proc_stats.tree_cpu_seconds(self.pid) if self.tree else proc_stats.cpu_seconds(self.pid)


def run(port, paths_file, seconds, max_requests, threads, connections, watched, rate=0, rss_pid=None,
        timeout_s=10):
    """Runs wrk against 127.0.0.1:<port>, bounded by `seconds` and `max_requests`.
    Returns throughput, latency percentiles, errors, CPU per watched process (in % of one
    core over the run) and the RSS of `rss_pid` at the end."""
    env = dict(os.environ, B3S_PATHS=paths_file, B3S_THREADS=str(threads), B3S_MAX=str(max_requests),
               B3S_RATE=str(rate), B3S_CONNS=str(connections))
    args = ["wrk", "-t", str(threads), "-c", str(connections), "-d", f"{seconds}s", "--timeout", f"{timeout_s}s",
            "-s", LUA, f"http://127.0.0.1:{port}"]
    before = {w.name: w.cpu() for w in watched}
    load_before = proc_stats.load_average()
    start = time.monotonic()
    proc = subprocess.Popen(args, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    # wait4 gives the load generator's own CPU time exactly.
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.monotonic() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    out, err = proc.stdout.read(), proc.stderr.read()
    after = {w.name: w.cpu() for w in watched}
    line = next((l for l in out.splitlines() if l.startswith('{"b3s_wrk"')), None)
    if proc.returncode != 0 or line is None:
        raise RuntimeError(f"wrk failed ({proc.returncode}): {err.strip()} {out.strip()[-500:]}")
    r = json.loads(line)
    seconds_run = r["duration_us"] / 1e6
    cpu = {"loadgen": 100.0 * (usage.ru_utime + usage.ru_stime) / wall}
    for name in before:
        cpu[name] = 100.0 * (after[name] - before[name]) / wall
    errors = sum(r["errors"].values())
    return {
        "requests": r["requests"],
        "seconds": round(seconds_run, 3),
        "rps": r["requests"] / seconds_run if seconds_run else 0.0,
        "p50_ms": r["latency_us"]["p50"] / 1000.0,
        "p90_ms": r["latency_us"]["p90"] / 1000.0,
        "p99_ms": r["latency_us"]["p99"] / 1000.0,
        "max_ms": r["latency_us"]["max"] / 1000.0,
        "errors": errors,
        "error_detail": r["errors"],
        "cpu_pct": {k: round(v, 1) for k, v in cpu.items()},
        "rss_mib": round(proc_stats.rss_bytes(rss_pid) / 2**20, 1) if rss_pid else None,
        "loadavg_before": load_before,
        "rate_target": rate or None,
        # wrk always runs for its full duration: a run that hit the request bound early
        # reports a throughput that is only a lower bound.
        "request_bound": r["requests"] >= 0.99 * max_requests,
    }


def write_paths(path, paths):
    with open(path, "w") as f:
        f.write("\n".join(paths) + "\n")
    return path
