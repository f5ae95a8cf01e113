"""A/B alternation: the baseline (A) and b3scaled (B) run in turns, ABBA…, so drift of the
machine (another build, thermal state, a poll in the background) falls on both; every
figure reported is the median over the rounds."""

import statistics

import wrk_runner


class Side:
    """One side of a comparison: where to send the load and what to watch meanwhile.
    `paths(label)` returns the file of request paths for the run called `label` (the same
    file every time for idempotent calls; a fresh one per run for creates)."""

    def __init__(self, name, port, paths, watched, rss_pid=None):
        self.name = name
        self.port = port
        self.paths = paths
        self.watched = watched
        self.rss_pid = rss_pid


def _median_of(runs):
    out = {}
    for key in ("requests", "seconds", "rps", "p50_ms", "p90_ms", "p99_ms", "max_ms", "errors", "rss_mib"):
        values = [r[key] for r in runs if r.get(key) is not None]
        out[key] = statistics.median(values) if values else None
    out["cpu_pct"] = {name: round(statistics.median(r["cpu_pct"][name] for r in runs), 1)
                      for name in runs[0]["cpu_pct"]}
    return out


def compare(a, b, cfg, rounds, seconds, max_requests, threads, connections, rate=0, warmup_seconds=1):
    """Runs A and B `rounds` times each, alternating, and returns every run and the medians.
    With a `rate`, the warm-up of each side also calibrates: wrk paces each connection by a
    gap between answer and next request, so the rate offered falls short by the latency;
    the offered rate is raised by what the warm-up fell short."""
    offered = {a.name: rate, b.name: rate}

    def once(side, label, secs, limit):
        return wrk_runner.run(side.port, side.paths(label), secs, limit, threads, connections, side.watched,
                              rate=offered[side.name], rss_pid=side.rss_pid)

    if warmup_seconds or rate:
        for side in (a, b):
            warm = once(side, "warmup", max(warmup_seconds, 2 if rate else 0), max(1, max_requests // 4))
            if rate and warm["rps"] > 0:
                offered[side.name] = int(rate * min(1.5, max(1.0, rate / warm["rps"])))
    runs = {a.name: [], b.name: []}
    for i in range(rounds):
        order = (a, b) if i % 2 == 0 else (b, a)
        for side in order:
            runs[side.name].append(once(side, f"run{i}", seconds, max_requests))
    return {
        "config": dict(cfg, rounds=rounds, seconds=seconds, max_requests=max_requests, threads=threads,
                       connections=connections, rate=rate or None, offered=offered if rate else None),
        "baseline": {"name": a.name, "median": _median_of(runs[a.name]), "runs": runs[a.name]},
        "b3scaled": {"name": b.name, "median": _median_of(runs[b.name]), "runs": runs[b.name]},
    }
