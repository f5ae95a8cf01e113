"""GET /metrics timed scrape by scrape, against nginx serving the same bytes from a file.

One keep-alive connection per side, scrapes one after another as Prometheus makes them, the
two sides interleaved (b3scaled, nginx, b3scaled, …) so drift of the machine falls on both.
Latency is from sending the request to the last byte of the body, in this Python client,
which costs the same on both sides."""

import http.client
import statistics
import time


def _percentile(values, q):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def _timed_get(conn, path):
    start = time.perf_counter()
    conn.request("GET", path)
    resp = conn.getresponse()
    body = resp.read()
    elapsed = time.perf_counter() - start
    if resp.status != 200:
        raise RuntimeError(f"GET {path}: HTTP {resp.status}")
    return elapsed, body


def compare(b3s_port, nginx, name, scrapes=50, warmup=3, path_on_b3s="/metrics"):
    """GETs `path_on_b3s` (default /metrics) from b3scaled, then serves its last body from
    nginx and alternates."""
    b3s = http.client.HTTPConnection("127.0.0.1", b3s_port, timeout=60)
    body = b""
    for _ in range(warmup):
        _, body = _timed_get(b3s, path_on_b3s)
    path = nginx.serve(name, body)
    static = http.client.HTTPConnection("127.0.0.1", nginx.port, timeout=60)
    for _ in range(warmup):
        _timed_get(static, path)
    ours, theirs, sizes = [], [], []
    for _ in range(scrapes):
        t, b = _timed_get(b3s, path_on_b3s)
        ours.append(t * 1e3)
        sizes.append(len(b))
        t, _ = _timed_get(static, path)
        theirs.append(t * 1e3)
    b3s.close()
    static.close()
    return {
        "scrapes": scrapes,
        "body_bytes": int(statistics.median(sizes)),
        "series": sum(1 for line in body.splitlines() if line and not line.startswith(b"#")),
        "b3scaled": {"p50_ms": round(statistics.median(ours), 2), "p99_ms": round(_percentile(ours, 0.99), 2)},
        "baseline": {"p50_ms": round(statistics.median(theirs), 2), "p99_ms": round(_percentile(theirs, 0.99), 2),
                     "bytes": len(body)},
    }
