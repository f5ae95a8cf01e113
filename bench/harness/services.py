"""The processes a bench run starts: a throwaway PostgreSQL, nginx as the baseline, fake BBB
backends and b3scaled. Everything listens on 127.0.0.1 and is stopped by the harness."""

import os
import re
import shutil
import signal
import socket
import subprocess
import time

import bbb_client


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(predicate, timeout, what):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.05)
    raise RuntimeError(f"timed out waiting for {what}")


def _stop(proc, timeout=15):
    if proc is None or proc.poll() is not None:
        return
    proc.send_signal(signal.SIGTERM)
    try:
        proc.wait(timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


class Postgres:
    """tests/support/scripts/pg-up.sh: PostgreSQL 15 on a random loopback port, fsync off."""

    def __init__(self, scripts_dir, work_dir):
        self.scripts_dir = scripts_dir
        self.dir = os.path.join(work_dir, "pg")
        subprocess.run([os.path.join(scripts_dir, "pg-up.sh"), self.dir], check=True, stdout=subprocess.DEVNULL)
        with open(os.path.join(self.dir, "url")) as f:
            self.url = f.read().strip()
        with open(os.path.join(self.dir, "cluster")) as f:
            cluster = f.read().strip()
        with open(os.path.join(cluster, "data", "postmaster.pid")) as f:
            self.pid = int(f.readline())  # the postmaster; its children are the backends

    def create_database(self, name):
        """A fresh database on the same cluster; returns its URL."""
        subprocess.run(["psql", self.url, "-qAt", "-v", "ON_ERROR_STOP=1", "-c", f"CREATE DATABASE {name}"],
                       check=True, stdout=subprocess.DEVNULL)
        return self.url.rsplit("/", 1)[0] + "/" + name

    def stop(self):
        subprocess.run([os.path.join(self.scripts_dir, "pg-down.sh"), self.dir], check=False,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


NGINX_CONF = """\
worker_processes auto;
pid {dir}/nginx.pid;
error_log {dir}/error.log warn;
daemon off;
events {{ worker_connections 1024; }}
http {{
    access_log off;
    client_body_temp_path {dir}/body;
    proxy_temp_path {dir}/proxy;
    fastcgi_temp_path {dir}/fastcgi;
    uwsgi_temp_path {dir}/uwsgi;
    scgi_temp_path {dir}/scgi;
    keepalive_requests 100000000;
    keepalive_timeout 120s;
    server {{
        listen 127.0.0.1:{port};
        # The physical limit of one HTTP hop answering a redirect: no lookup, no checksum.
        # The same bytes as a b3scaled answer, from a file: GET /metrics's baseline.
        location /static/ {{ root {dir}; default_type text/plain; }}
        location / {{ return 302 http://127.0.0.1:1/bigbluebutton/api/join?fullName=Bench+User&meetingID=WyJwb2JlbmNoIiwiYmVuY2gtcm9vbSIsImIzc2NsIl0%3D&role=VIEWER&checksum=d13a6989038d0918705a42ccb11340c9b2b7ccfe682a4c19ae103189e24f5194; }}
    }}
}}
"""


class Nginx:
    def __init__(self, work_dir):
        self.dir = os.path.join(work_dir, "nginx")
        os.makedirs(self.dir, exist_ok=True)
        self.port = free_port()
        conf = os.path.join(self.dir, "nginx.conf")
        with open(conf, "w") as f:
            f.write(NGINX_CONF.format(dir=self.dir, port=self.port))
        self.proc = subprocess.Popen(["nginx", "-p", self.dir, "-c", conf], stdout=subprocess.DEVNULL,
                                     stderr=open(os.path.join(self.dir, "stderr.log"), "w"))
        self.pid = self.proc.pid
        wait_for(lambda: _answers(self.port), 10, "nginx")

    def serve(self, name, data):
        """Puts `data` where nginx serves it as a static file; returns its path on the server."""
        static_dir = os.path.join(self.dir, "static")
        os.makedirs(static_dir, exist_ok=True)
        with open(os.path.join(static_dir, name), "wb") as f:
            f.write(data)
        # The workers run as an unprivileged user: the file and the way to it must be readable.
        os.chmod(os.path.join(static_dir, name), 0o644)
        for d in (static_dir, self.dir, os.path.dirname(self.dir)):
            os.chmod(d, os.stat(d).st_mode | 0o011)
        return "/static/" + name

    def stop(self):
        _stop(self.proc)


def _answers(port):
    try:
        bbb_client.get(port, "/", timeout=1)
        return True
    except OSError:
        return False


class FakeBbb:
    """Several fake BBB servers in one process (tests/support/fake_bbb, `fake_bbb`)."""

    def __init__(self, binary, secret, count, threads, delay_ms=0):
        args = [binary, "--listen", "127.0.0.1:0", "--secret", secret, "--count", str(count),
                "--threads", str(threads)]
        if delay_ms:
            args += ["--delay-ms", str(delay_ms)]
        self.secret = secret
        self.proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        self.pid = self.proc.pid
        self.urls = []
        while len(self.urls) < count:
            line = self.proc.stdout.readline()
            if not line:
                raise RuntimeError("fake_bbb exited before listing its servers")
            m = re.match(r"fake_bbb url=(\S+) secret=", line)
            if m:
                self.urls.append(m.group(1))

    def stop(self):
        _stop(self.proc)


class B3scaled:
    """b3scaled from the build tree, configured by B3SCALE_* variables only."""

    def __init__(self, binary, db_url, work_dir, name, extra_env=None):
        self.binary = binary
        self.port = free_port()
        self.dir = os.path.join(work_dir, name)
        os.makedirs(self.dir, exist_ok=True)
        self.env = {
            "PATH": "/usr/bin:/bin",
            "LANG": "C.UTF-8",
            "HOME": self.dir,
            "B3SCALE_DB_URL": db_url,
            "B3SCALE_LISTEN_HTTP": f"127.0.0.1:{self.port}",
            "B3SCALE_API_URL": f"http://127.0.0.1:{self.port}",
            "B3SCALE_API_JWT_SECRET": "bench-jwt-secret-0123456789abcdef",
            "B3SCALE_LOG_LEVEL": "info",
        }
        self.env.update(extra_env or {})
        self.proc = None

    def migrate(self):
        subprocess.run([self.binary, "--migrate"], env=self.env, check=True, stdout=subprocess.DEVNULL,
                       stderr=open(os.path.join(self.dir, "migrate.log"), "w"))

    def start(self):
        self.log = open(os.path.join(self.dir, "b3scaled.log"), "a")
        self.proc = subprocess.Popen([self.binary], env=self.env, stdout=subprocess.DEVNULL, stderr=self.log)
        self.pid = self.proc.pid
        wait_for(lambda: self._ready(), 30, "b3scaled /readyz")

    def _ready(self):
        if self.proc.poll() is not None:
            raise RuntimeError(f"b3scaled exited with {self.proc.returncode}; see {self.dir}/b3scaled.log")
        try:
            return bbb_client.get(self.port, "/readyz", timeout=1).status == 200
        except OSError:
            return False

    def log_count(self, event):
        """How many log lines carry this event key so far."""
        self.log.flush()
        with open(os.path.join(self.dir, "b3scaled.log")) as f:
            return sum(1 for line in f if f'"{event}"' in line)

    def stop(self):
        _stop(self.proc, timeout=30)


def seed(seed_binary, db_url, commands):
    """Registers frontends and backends (bench/seed); returns {key or url: id}."""
    out = subprocess.run([seed_binary, db_url], input="\n".join(commands) + "\n", capture_output=True, text=True)
    if out.returncode != 0:
        raise RuntimeError(f"b3s_bench_seed failed: {out.stderr}")
    ids = {}
    for line in out.stdout.splitlines():
        _, row_id, name = line.split(" ", 2)
        ids[name] = row_id
    return ids


def require(tool):
    if shutil.which(tool) is None:
        raise RuntimeError(f"{tool} is not installed (bench/run.sh installs it from Debian)")
