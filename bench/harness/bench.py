#!/usr/bin/env python3
"""The b3scale benchmark: b3scaled against the physical limit of one HTTP hop on this
machine, scenario by scenario. Run through bench/run.sh, which builds what it needs.

  bench.py --build-dir build [--quick] [--out bench/results]

Starts a throwaway PostgreSQL, nginx (`return 302`, the baseline for join), fake BBB
backends (the baseline for the calls b3scaled forwards) and b3scaled from the build tree,
all on 127.0.0.1; every load run is bounded in requests and seconds. Writes
<out>/latest.json and <out>/latest.md."""

import argparse
import datetime
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

import ab_runner
import bbb_client
import placement
import proc_stats
import report
import scrape
import services
from services import wait_for
import wrk_runner
from wrk_runner import Watched, write_paths

DEFAULT_OUT = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "results")
BACKEND_SECRET = "bench-backend-secret"
FAST_BACKENDS = 100
SLOW_BACKENDS = 10
SLOW_DELAY_MS = 20
IDLE_BACKENDS = 1000
IDLE_MEETINGS = 10000
RECORDINGS = 10000  # getRecordings target: limit=100 over these in <= 10 ms p50


class Profile:
    def __init__(self, quick):
        self.quick = quick
        self.rounds = 3 if quick else 5
        self.seconds = 2 if quick else 3
        self.max_requests = 1_000_000 if quick else 2_000_000  # bounds the fast calls
        self.create_requests = 2000 if quick else 5000         # per run: every create is a new meeting
        self.threads = 2
        self.connections = 32
        self.fan_connections = 8


class Bench:
    def __init__(self, args):
        self.args = args
        self.p = Profile(args.quick)
        self.build = os.path.abspath(args.build_dir)
        self.bin = os.path.join(self.build, "bin")
        self.repo = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
        self.work = tempfile.mkdtemp(prefix="b3s-bench-")
        self.started = []  # services to stop, last first
        self.extra_env = dict(e.split("=", 1) for e in args.b3scaled_env)
        self.results = {
            "started_at": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
            "machine": proc_stats.machine(),
            "profile": "quick" if args.quick else "full",
            "commit": subprocess.run(["git", "-C", self.repo, "rev-parse", "--short", "HEAD"],
                                     capture_output=True, text=True).stdout.strip(),
            "scenarios": [],
            "b3scaled_env": dict(e.split("=", 1) for e in args.b3scaled_env),
        }

    def log(self, text):
        print(f"[{time.strftime('%H:%M:%S')}] {text}", flush=True)

    def service(self, s):
        self.started.append(s)
        return s

    def stop(self, s):
        s.stop()
        if s in self.started:
            self.started.remove(s)

    def paths_file(self, name, paths):
        return write_paths(os.path.join(self.work, name + ".paths"), paths)

    # -- the cluster every request scenario runs against ------------------------------------

    def cluster(self, connector, db_url, scenarios):
        fast = self.service(services.FakeBbb(os.path.join(self.bin, "fake_bbb"), BACKEND_SECRET, FAST_BACKENDS,
                                             threads=48))
        slow = self.service(services.FakeBbb(os.path.join(self.bin, "fake_bbb"), BACKEND_SECRET, SLOW_BACKENDS,
                                             threads=16, delay_ms=SLOW_DELAY_MS))
        b3s = services.B3scaled(os.path.join(self.bin, "b3scaled"), db_url, self.work, f"b3scaled-{connector}", self.extra_env)
        b3s.migrate()
        key, fan_key = f"{connector[:2]}bench", f"{connector[:2]}fan"
        secret, fan_secret = "bench-frontend-secret", "fan-frontend-secret"
        commands = [f"frontend {key} {secret} fast", f"frontend {fan_key} {fan_secret}"]
        commands += [f"backend {u} {BACKEND_SECRET} fast,f{i:03d}" for i, u in enumerate(fast.urls)]
        commands += [f"backend {u} {BACKEND_SECRET} slow,s{i:02d}" for i, u in enumerate(slow.urls)]
        services.seed(os.path.join(self.bin, "b3s_bench_seed"), db_url, commands)
        self.service(b3s).start()
        self.wait_first_polls(b3s, FAST_BACKENDS + SLOW_BACKENDS)
        self.log(f"{connector}: b3scaled ready with {FAST_BACKENDS}+{SLOW_BACKENDS} backends")

        watched_b3s = [Watched("b3scaled", b3s.pid), Watched("backends", fast.pid), Watched("backends_slow", slow.pid)]
        if self.pg:
            watched_b3s.append(Watched("postgresql", self.pg.pid, tree=True))

        # A running meeting to join and query, on one of the fast backends.
        room = "bench-room"
        r = bbb_client.get(b3s.port, bbb_client.b3scale_path(key, secret, "create", {"name": "Bench", "meetingID": room}))
        assert r.xml_field("returncode") == "SUCCESS", r.body
        join = {"fullName": "Bench User", "meetingID": room, "role": "VIEWER"}
        join_path = bbb_client.b3scale_path(key, secret, "join", join)
        r = bbb_client.get(b3s.port, join_path)
        assert r.status == 302 and "/join?" in r.headers.get("Location", ""), (r.status, r.headers)
        location = r.headers["Location"]
        room_backend = next(u for u in fast.urls if location.startswith(u.split("/bigbluebutton")[0] + "/"))
        room_port = int(room_backend.split(":")[2].split("/")[0])
        encoded = bbb_client.encode_meeting_id(key, room)

        def ab(name, a, b, **kw):
            self.log(f"{connector}: {name}")
            res = ab_runner.compare(a, b, {"scenario": name, "connector": connector}, self.p.rounds, self.p.seconds,
                                    kw.pop("max_requests", self.p.max_requests), kw.pop("threads", self.p.threads),
                                    kw.pop("connections", self.p.connections), **kw)
            res["scenario"], res["connector"] = name, connector
            self.results["scenarios"].append(res)
            m = res["b3scaled"]["median"]
            self.log(f"  baseline {res['baseline']['median']['rps']:.0f}/s, b3scaled {m['rps']:.0f}/s "
                     f"p50 {m['p50_ms']:.2f} ms p99 {m['p99_ms']:.2f} ms")
            return res

        fixed = lambda path: (lambda _label: path)
        nginx_side = ab_runner.Side("nginx return 302", self.nginx.port,
                                    fixed(self.paths_file("nginx", ["/bigbluebutton/api/join?meetingID=x"])),
                                    [Watched("nginx", self.nginx.pid, tree=True)])

        def b3s_side(name, paths):
            return ab_runner.Side(name, b3s.port, paths, watched_b3s, rss_pid=b3s.pid)

        def fake_side(name, port, paths):
            return ab_runner.Side(name, port, paths, [Watched("backends", fast.pid), Watched("backends_slow", slow.pid)])

        if "join" in scenarios:
            b = b3s_side("b3scaled join", fixed(self.paths_file(f"{connector}-join", [join_path])))
            peak = ab("join", nginx_side, b)
            if connector == "postgresql":
                rate = int(peak["b3scaled"]["median"]["rps"] / 2)
                res = ab("join at half peak", nginx_side, b, rate=rate)
                res["rate"] = rate

        for call in ("isMeetingRunning", "getMeetingInfo"):
            if call not in scenarios:
                continue
            direct = bbb_client.backend_path(room_backend, BACKEND_SECRET, call, {"meetingID": encoded})
            assert bbb_client.get(room_port, direct).xml_field("returncode") == "SUCCESS"
            via = bbb_client.b3scale_path(key, secret, call, {"meetingID": room})
            assert bbb_client.get(b3s.port, via).xml_field("returncode") == "SUCCESS"
            ab(call, fake_side(f"fake backend {call}", room_port, fixed(self.paths_file(f"{call}-direct", [direct]))),
               b3s_side(f"b3scaled {call}", fixed(self.paths_file(f"{connector}-{call}", [via]))))

        if "getMeetings" in scenarios:
            # One meeting of the frontend on each of 100 backends: 90 fast, 10 slow.
            tags = [f"f{i:03d}" for i in range(FAST_BACKENDS - SLOW_BACKENDS)] + [f"s{i:02d}" for i in range(SLOW_BACKENDS)]
            for i, tag in enumerate(tags):
                r = bbb_client.get(b3s.port, bbb_client.b3scale_path(
                    fan_key, fan_secret, "create", {"name": "Fan", "meetingID": f"fan-{i:03d}", "meta_server-tag": tag + "!"}))
                assert r.xml_field("returncode") == "SUCCESS", r.body
            via = bbb_client.b3scale_path(fan_key, fan_secret, "getMeetings", {})
            r = bbb_client.get(b3s.port, via)
            assert r.body.count(b"<meetingID>fan-") == len(tags), r.body[:500]
            slow_port = int(slow.urls[0].split(":")[2].split("/")[0])
            direct = bbb_client.backend_path(slow.urls[0], BACKEND_SECRET, "getMeetings", {})
            a = fake_side("slowest backend getMeetings", slow_port, fixed(self.paths_file("getMeetings-direct", [direct])))
            b = b3s_side("b3scaled getMeetings (100 backends)", fixed(self.paths_file(f"{connector}-getMeetings", [via])))
            # One at a time: the target compares latencies. Then several at once: the fan-out's
            # worker pool is shared, so slow backends hold workers other requests wait for.
            for name, conns in (("getMeetings", 1), (f"getMeetings, {self.p.fan_connections} at once", self.p.fan_connections)):
                res = ab(name, a, b, connections=conns, threads=1)
                res["slow_delay_ms"] = SLOW_DELAY_MS

        if "create" in scenarios:
            direct_port = int(fast.urls[-1].split(":")[2].split("/")[0])

            def direct_paths(label):
                return self.paths_file(f"{connector}-create-direct-{label}", [
                    bbb_client.backend_path(fast.urls[-1], BACKEND_SECRET, "create",
                                            {"name": "Bench", "meetingID": f"direct-{connector}-{label}-{i}"})
                    for i in range(self.p.create_requests)])

            def via_paths(label):
                return self.paths_file(f"{connector}-create-{label}", [
                    bbb_client.b3scale_path(key, secret, "create", {"name": "Bench", "meetingID": f"c-{label}-{i}"})
                    for i in range(self.p.create_requests)])

            ab("create", fake_side("fake backend create", direct_port, direct_paths),
               b3s_side("b3scaled create (100 backends)", via_paths), max_requests=self.p.create_requests)

        self.stop(b3s)
        self.stop(slow)
        self.stop(fast)

    def wait_first_polls(self, b3s, backends):
        # Every backend's first poll is due at once; its init -> ready is logged.
        wait_for(lambda: b3s.log_count("backend_state_changed") >= backends, 120, f"first polls of {backends} backends")

    # -- idle memory with 1,000 backends and 10,000 meetings --------------------------------

    def idle(self, connector, db_url):
        self.log(f"{connector}: idle RSS with {IDLE_BACKENDS} backends and {IDLE_MEETINGS} meetings")
        fakes = self.service(services.FakeBbb(os.path.join(self.bin, "fake_bbb"), BACKEND_SECRET, IDLE_BACKENDS,
                                              threads=4))
        b3s = services.B3scaled(os.path.join(self.bin, "b3scaled"), db_url, self.work, f"b3scaled-idle-{connector}", self.extra_env)
        b3s.migrate()
        key, secret = f"{connector[:2]}idle", "idle-frontend-secret"
        services.seed(os.path.join(self.bin, "b3s_bench_seed"), db_url,
                      [f"frontend {key} {secret}"] + [f"backend {u} {BACKEND_SECRET} fast" for u in fakes.urls])
        self.service(b3s).start()
        self.wait_first_polls(b3s, IDLE_BACKENDS)
        out = {"connector": connector, "backends": IDLE_BACKENDS, "meetings": IDLE_MEETINGS}
        time.sleep(2)
        out["rss_mib_no_meetings"] = round(proc_stats.rss_bytes(b3s.pid) / 2**20, 1)

        # An exact number of creates: a set-up step, driven from here (wrk is bounded by time).
        paths = [bbb_client.b3scale_path(key, secret, "create", {"name": "Idle", "meetingID": f"idle-{i}"})
                 for i in range(IDLE_MEETINGS)]
        start = time.monotonic()
        answers = bbb_client.get_many(b3s.port, paths)
        out["create_seconds"] = round(time.monotonic() - start, 1)
        out["create_failures"] = sum(1 for r in answers if r.xml_field("returncode") != "SUCCESS")
        self.log(f"  {IDLE_MEETINGS} creates in {out['create_seconds']} s, {out['create_failures']} failed")
        r = bbb_client.get(b3s.port, bbb_client.b3scale_path(key, secret, "getMeetingInfo", {"meetingID": f"idle-{IDLE_MEETINGS - 1}"}))
        out["last_meeting_found"] = r.xml_field("returncode") == "SUCCESS"
        time.sleep(6)  # a poll of every backend, which now lists its meetings
        out["rss_mib_after_creates"] = round(proc_stats.rss_bytes(b3s.pid) / 2**20, 1)

        # A fresh process that loads the same cluster from the store: the steady state.
        self.stop(b3s)
        b3s = services.B3scaled(os.path.join(self.bin, "b3scaled"), db_url, self.work, f"b3scaled-idle-{connector}", self.extra_env)
        self.service(b3s).start()
        before = b3s.log_count("backend_state_changed")
        # A minute and more: every backend polled a dozen times and reconciled, and the
        # controller's minutely clean-up has run once (it hands freed heap back).
        time.sleep(65)
        samples = []
        for _ in range(5):
            samples.append(proc_stats.rss_bytes(b3s.pid))
            time.sleep(1)
        out["rss_mib_idle"] = round(max(samples) / 2**20, 1)
        out["threads_idle"] = proc_stats.thread_count(b3s.pid)
        out["state_changes_after_restart"] = b3s.log_count("backend_state_changed") - before
        self.log(f"  idle RSS {out['rss_mib_idle']} MiB ({out['threads_idle']} threads)")
        # After the RSS samples: a scrape renders every series and may grow the heap.
        out["metrics"] = scrape.compare(b3s.port, self.nginx, f"metrics-{connector}.txt")
        self.log(f"  GET /metrics: {out['metrics']['body_bytes']:,} bytes, p50 {out['metrics']['b3scaled']['p50_ms']} ms "
                 f"(nginx, same bytes from a file: {out['metrics']['baseline']['p50_ms']} ms)")
        self.results.setdefault("idle", []).append(out)
        self.stop(b3s)
        self.stop(fakes)

    # -- getRecordings over 10,000 recordings of one frontend ---------------------------------

    def recordings(self, connector, db_url):
        self.log(f"{connector}: getRecordings over {RECORDINGS} recordings of one frontend")
        b3s = services.B3scaled(os.path.join(self.bin, "b3scaled"), db_url, self.work, f"b3scaled-rec-{connector}", self.extra_env)
        b3s.migrate()
        key, secret = f"{connector[:2]}rec", "recordings-frontend-secret"
        start = time.monotonic()
        services.seed(os.path.join(self.bin, "b3s_bench_seed"), db_url,
                      [f"frontend {key} {secret}", f"recordings {key} {RECORDINGS}"])
        seeded_s = round(time.monotonic() - start, 1)
        if db_url.startswith("postgres"):
            # The steady state: autovacuum analyzes a table within a minute of such a bulk load;
            # without statistics the planner sorts all 10,000 rows for every page (10 ms, not 3).
            subprocess.run(["psql", db_url, "-qAt", "-c", "ANALYZE recordings; ANALYZE recording_metadata"],
                           check=True, stdout=subprocess.DEVNULL)
        self.service(b3s).start()
        out = {"connector": connector, "recordings": RECORDINGS, "seed_seconds": seeded_s, "pages": {}}
        for name, params in (("first page", {"limit": "100"}), ("page 50", {"limit": "100", "offset": "4900"}),
                             ("one meeting", {"meetingID": "bench-7", "limit": "100"})):
            path = bbb_client.b3scale_path(key, secret, "getRecordings", params)
            r = bbb_client.get(b3s.port, path)
            assert r.body.count(b"<recording>") == 100, r.body[:300]
            res = scrape.compare(b3s.port, self.nginx, f"recordings-{connector}-{len(out['pages'])}.xml",
                                 path_on_b3s=path)
            out["pages"][name] = res
            self.log(f"  {name}: p50 {res['b3scaled']['p50_ms']} ms (nginx, same bytes from a file: "
                     f"{res['baseline']['p50_ms']} ms), {res['body_bytes']:,} bytes")
        self.results.setdefault("recordings", []).append(out)
        self.stop(b3s)

    # -- the whole run ------------------------------------------------------------------------

    def run(self):
        services.require("wrk")
        services.require("nginx")
        only = set(self.args.only.split(",")) if self.args.only else None
        want = lambda name: only is None or name in only
        self.pg = None
        try:
            self.nginx = self.service(services.Nginx(self.work))
            self.pg = self.service(services.Postgres(os.path.join(self.repo, "tests", "support", "scripts"), self.work))
            self.log(f"nginx on {self.nginx.port}, PostgreSQL ready")
            request_scenarios = [s for s in ("join", "isMeetingRunning", "getMeetingInfo", "getMeetings", "create") if want(s)]
            if request_scenarios:
                self.cluster("postgresql", self.pg.url, request_scenarios)
                pg_only = self.pg
                self.pg = None  # the SQLite cluster has no PostgreSQL to account
                sqlite_scenarios = [s for s in ("join", "create") if want(s)]
                if sqlite_scenarios:
                    self.cluster("sqlite", "sqlite://" + os.path.join(self.work, "cluster.db"), sqlite_scenarios)
                self.pg = pg_only
            if want("idle"):
                self.idle("postgresql", self.pg.create_database("b3scale_idle"))
                self.idle("sqlite", "sqlite://" + os.path.join(self.work, "idle.db"))
            if want("recordings"):
                self.recordings("postgresql", self.pg.create_database("b3scale_recordings"))
                self.recordings("sqlite", "sqlite://" + os.path.join(self.work, "recordings.db"))
            for s in reversed(list(self.started)):
                self.stop(s)
            if want("placement"):
                self.log("placement micro-benchmark")
                self.results["placement"] = placement.run(os.path.join(self.bin, "b3s_bench_placement"), self.p.quick)
        finally:
            for s in reversed(list(self.started)):
                try:
                    s.stop()
                except Exception as e:  # keep stopping the others
                    print(f"stopping {s}: {e}", file=sys.stderr)
            if not self.args.keep:
                shutil.rmtree(self.work, ignore_errors=True)
        self.results["finished_at"] = datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds")
        os.makedirs(self.args.out, exist_ok=True)
        with open(os.path.join(self.args.out, "latest.json"), "w") as f:
            json.dump(self.results, f, indent=1)
        md = report.markdown(self.results)
        with open(os.path.join(self.args.out, "latest.md"), "w") as f:
            f.write(md)
        # Only a full run of every scenario into bench/results is "the table as last measured".
        if not self.args.only and not self.args.quick and os.path.abspath(self.args.out) == DEFAULT_OUT:
            report.update_readme(os.path.join(os.path.dirname(DEFAULT_OUT), "README.md"), md)
        print(md)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--build-dir", default="build")
    parser.add_argument("--quick", action="store_true", help="3 rounds of 2 s instead of 5 of 3 s")
    parser.add_argument("--out", default=DEFAULT_OUT)
    parser.add_argument("--only", help="comma-separated: join,isMeetingRunning,getMeetingInfo,getMeetings,create,idle,recordings,"
                        "placement")
    parser.add_argument("--keep", action="store_true", help="keep the work directory (logs of every process)")
    parser.add_argument("--b3scaled-env", action="append", default=[], metavar="NAME=VALUE",
                        help="extra environment for every b3scaled (experiments; recorded in the results)")
    Bench(parser.parse_args()).run()


if __name__ == "__main__":
    main()
