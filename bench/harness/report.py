"""The Markdown table of a run, with each target of issue 7 checked against it."""


def _fmt(x, digits=0):
    if x is None:
        return "–"
    return f"{x:,.{digits}f}"


def _cpu(m, names):
    return " / ".join(_fmt(m["cpu_pct"].get(n)) for n in names)


def targets(results):
    """Each target of the issue: (name, measured, limit, met)."""
    out = []
    by = {(s["scenario"], s["connector"]): s for s in results.get("scenarios", [])}
    join = by.get(("join", "postgresql"))
    if join:
        ratio = join["b3scaled"]["median"]["rps"] / join["baseline"]["median"]["rps"]
        out.append(("join ≥ 50% of nginx `return 302`", f"{ratio:.0%}", "≥ 50%", ratio >= 0.5))
    half = by.get(("join at half peak", "postgresql"))
    if half:
        p99 = half["b3scaled"]["median"]["p99_ms"]
        out.append((f"join p99 at half the peak ({half['rate']:,}/s)", f"{p99:.2f} ms", "≤ 5 ms", p99 <= 5))
    place = results.get("placement", {}).get("results", {}).get("Decision", {})
    for balancer, r in sorted(place.items()):
        at_1000 = r["median_us"].get("1000")
        if at_1000 is not None:
            out.append((f"placement ({balancer}) median at 1,000 backends", f"{at_1000:.1f} µs", "≤ 100 µs",
                        at_1000 <= 100))
        g = r.get("growth_10000_vs_100_per_backend")
        if g is not None:
            out.append((f"placement ({balancer}) growth, cost per backend 10,000 vs 100", f"{g:.2f}×",
                        "≤ ~1 (linear)", g <= 1.5))
    fan = by.get(("getMeetings", "postgresql"))
    if fan:
        ratio = fan["b3scaled"]["median"]["p50_ms"] / fan["baseline"]["median"]["p50_ms"]
        out.append(("getMeetings over 100 backends vs slowest backend (p50)", f"{ratio:.2f}×", "≤ 1.5×", ratio <= 1.5))
    for idle in results.get("idle", []):
        rss = idle["rss_mib_idle"]
        out.append((f"idle RSS, 1,000 backends / 10,000 meetings ({idle['connector']})", f"{rss:.1f} MiB",
                    "≤ 64 MiB", rss <= 64))
    for rec in results.get("recordings", []):
        first = rec["pages"].get("first page")
        if first:
            p50 = first["b3scaled"]["p50_ms"]
            out.append((f"getRecordings limit=100 over {rec['recordings']:,} recordings ({rec['connector']}), p50",
                        f"{p50:.2f} ms", "≤ 10 ms", p50 <= 10))
    return out


def markdown(results):
    m = results["machine"]
    lines = [
        f"Measured {results['started_at']} at commit `{results['commit']}`, profile `{results['profile']}`, on "
        f"{m['cpu']} ({m['cores']} cores, {m['memory_gib']} GiB, {m['kernel']}). Medians of "
        f"{_rounds(results)} alternating runs each; CPU in % of one core (200% = both cores).",
        "",
        "| scenario | store | b3scaled req/s | baseline req/s | ratio | b3scaled p50 / p99 ms | baseline p50 / p99 ms "
        "| CPU % wrk / b3scaled / PostgreSQL / backends | b3scaled CPU µs/req | b3scaled RSS MiB | baseline |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for s in results.get("scenarios", []):
        b, a = s["b3scaled"]["median"], s["baseline"]["median"]
        # At a fixed rate both sides do the same work: compare latencies, not throughput.
        ratio = b["rps"] / a["rps"] if a["rps"] and not s.get("rate") else None
        name = s["scenario"] + (f" ({s['rate']:,}/s)" if s.get("rate") else "")
        backends = (b["cpu_pct"].get("backends", 0) or 0) + (b["cpu_pct"].get("backends_slow", 0) or 0)
        cpu = " / ".join([_fmt(b["cpu_pct"].get("loadgen")), _fmt(b["cpu_pct"].get("b3scaled")),
                          _fmt(b["cpu_pct"].get("postgresql")), _fmt(backends)])
        lines.append(
            f"| {name} | {s['connector']} | {_fmt(b['rps'])} | {_fmt(a['rps'])} | {_fmt(100 * ratio, 1) + '%' if ratio else '–'} "
            f"| {b['p50_ms']:.2f} / {b['p99_ms']:.2f} | {a['p50_ms']:.2f} / {a['p99_ms']:.2f} | {cpu} "
            f"| {_fmt(b['cpu_pct'].get('b3scaled', 0) * 1e4 / b['rps'] if b['rps'] else None, 0)} "
            f"| {_fmt(b['rss_mib'], 1)} | {s['baseline']['name']} |")
    if results.get("idle"):
        lines += ["", "| idle memory | store | RSS, no meetings | 10,000 creates took | RSS after them "
                  "| RSS of a fresh process, idle | threads |", "|---|---|---:|---:|---:|---:|---:|"]
        for idle in results["idle"]:
            lines.append(f"| {idle['backends']:,} backends, {idle['meetings']:,} meetings | {idle['connector']} "
                         f"| {idle['rss_mib_no_meetings']} MiB | {idle['create_seconds']} s ({idle['create_failures']} failed) "
                         f"| {idle['rss_mib_after_creates']} MiB "
                         f"| {idle['rss_mib_idle']} MiB | {idle['threads_idle']} |")
    scraped = [i for i in results.get("idle", []) if i.get("metrics")]
    if scraped:
        lines += ["", "| GET /metrics, idle | store | body | series | b3scaled p50 / p99 ms "
                  "| nginx, same bytes from a file, p50 / p99 ms | scrapes |", "|---|---|---:|---:|---:|---:|---:|"]
        for idle in scraped:
            m = idle["metrics"]
            lines.append(f"| {idle['backends']:,} backends, {idle['meetings']:,} meetings | {idle['connector']} "
                         f"| {m['body_bytes'] / 1024:,.0f} KiB | {m['series']:,} "
                         f"| {m['b3scaled']['p50_ms']:.2f} / {m['b3scaled']['p99_ms']:.2f} "
                         f"| {m['baseline']['p50_ms']:.2f} / {m['baseline']['p99_ms']:.2f} | {m['scrapes']} |")
    if results.get("recordings"):
        lines += ["", "| getRecordings, limit=100 | store | recordings of the frontend | body | b3scaled p50 / p99 ms "
                  "| nginx, same bytes from a file, p50 / p99 ms | requests |", "|---|---|---:|---:|---:|---:|---:|"]
        for rec in results["recordings"]:
            for name, m in rec["pages"].items():
                lines.append(f"| {name} | {rec['connector']} | {rec['recordings']:,} | {m['body_bytes'] / 1024:,.0f} KiB "
                             f"| {m['b3scaled']['p50_ms']:.2f} / {m['b3scaled']['p99_ms']:.2f} "
                             f"| {m['baseline']['p50_ms']:.2f} / {m['baseline']['p99_ms']:.2f} | {m['scrapes']} |")
    place = results.get("placement", {}).get("results", {})
    if place:
        sizes = ["10", "100", "1000", "10000"]
        lines += ["", "| placement, median CPU µs | " + " | ".join(f"{int(n):,} backends" for n in sizes)
                  + " | per-backend cost 10,000 vs 100 |", "|---|" + "---:|" * (len(sizes) + 1)]
        for kind in ("Decision", "Rebuild", "Choose"):
            for balancer, r in sorted(place.get(kind, {}).items()):
                cells = [_fmt(r["median_us"].get(n), 2) for n in sizes]
                g = r.get("growth_10000_vs_100_per_backend")
                lines.append(f"| {kind.lower()} ({balancer}) | " + " | ".join(cells) + f" | {_fmt(g, 2)}× |")
    lines += ["", "| target | measured | limit | met |", "|---|---:|---:|---|"]
    for name, measured, limit, met in targets(results):
        lines.append(f"| {name} | {measured} | {limit} | {'yes' if met else '**no**'} |")
    return "\n".join(lines) + "\n"


def _rounds(results):
    for s in results.get("scenarios", []):
        return s["config"]["rounds"]
    return "–"


BEGIN, END = "<!-- results:begin -->", "<!-- results:end -->"


def update_readme(path, md):
    """Replaces the table between the markers of bench/README.md with this run's."""
    try:
        with open(path) as f:
            text = f.read()
    except FileNotFoundError:
        return False
    if BEGIN not in text or END not in text:
        return False
    head, rest = text.split(BEGIN, 1)
    _, tail = rest.split(END, 1)
    with open(path, "w") as f:
        f.write(head + BEGIN + "\n" + md + END + tail)
    return True
