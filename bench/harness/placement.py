"""The placement micro-benchmark (bench/placement, Google Benchmark): medians per
balancer and size, and how the cost grows with the number of backends."""

import json
import os
import subprocess
import tempfile


def run(binary, quick):
    with tempfile.NamedTemporaryFile(suffix=".json", delete=False) as f:
        out_file = f.name
    args = [binary, f"--benchmark_repetitions={3 if quick else 5}", "--benchmark_report_aggregates_only=true",
            f"--benchmark_min_time={0.02 if quick else 0.05}", f"--benchmark_out={out_file}",
            "--benchmark_out_format=json"]
    subprocess.run(args, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    with open(out_file) as f:
        data = json.load(f)
    os.unlink(out_file)
    results = {}
    for b in data["benchmarks"]:
        if b.get("aggregate_name") != "median":
            continue
        # run_name: "Decision/least_load/1000"
        kind, balancer, size = b["run_name"].split("/")
        # CPU time: the benchmark is one thread, and on a machine shared with other work its
        # wall-clock time also counts the time the scheduler gave to others (up to 2x here).
        results.setdefault(kind, {}).setdefault(balancer, {})[int(size)] = (round(b["cpu_time"], 3),
                                                                              round(b["real_time"], 3))  # µs
    for kind in results.values():
        for balancer, times in kind.items():
            by_size = {n: cpu for n, (cpu, _) in times.items()}
            sizes = sorted(by_size)
            # Cost per backend at the largest size over that at 100: 1.0 means linear.
            kind[balancer] = {"median_us": {str(n): by_size[n] for n in sizes},
                              "median_real_us": {str(n): times[n][1] for n in sizes},
                              "growth_10000_vs_100_per_backend": round((by_size[sizes[-1]] / sizes[-1]) / (by_size[100] / 100), 2)
                              if 100 in by_size else None}
    return {"context": data.get("context", {}), "results": results}
