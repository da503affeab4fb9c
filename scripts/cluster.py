"""`make cluster`: the production shape on one machine, in the foreground.

nginx on PORT (ops/nginx/diancan.conf: ip_hash, WebSocket upgrade) in front of PROCESSES gunicorn
processes (one gevent worker each) on MariaDB (DATABASE_URL) and Redis (REDIS_URL). Migrates and
seeds the demo store first. A process that dies is started again; SIGHUP (`make cluster-reload`)
restarts the processes one at a time, each only after the one before answers /readyz; Ctrl-C
(SIGINT) or SIGTERM stops everything.

    python scripts/cluster.py           run (environment: PORT, PROCESSES, DATABASE_URL, REDIS_URL, …)
    python scripts/cluster.py render    print the nginx configuration for this environment
"""
from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
TEMPLATE = ROOT / "ops" / "nginx" / "diancan.conf"
FAIL_TIMEOUT = 2  # seconds nginx skips a process that refused a connection
DEFAULT_DB = "mysql+pymysql://root@127.0.0.1/diancan?charset=utf8mb4"


def settings() -> dict[str, Any]:
    env = os.environ
    port = int(env.get("PORT") or 8080)
    processes = int(env.get("PROCESSES") or 2)
    first = int(env.get("BACKEND_PORT") or port + 1)
    instance = Path(env.get("INSTANCE_PATH") or ROOT / "instance")
    return {"port": port, "ports": [first + i for i in range(processes)], "instance": instance,
            "run": instance / "cluster", "listen": env.get("LISTEN") or f"127.0.0.1:{port}",
            "env": {"DATABASE_URL": env.get("DATABASE_URL") or DEFAULT_DB,
                    "REDIS_URL": env.get("REDIS_URL") or "redis://127.0.0.1:6379/0",
                    "PUBLIC_BASE_URL": env.get("PUBLIC_BASE_URL") or f"http://127.0.0.1:{port}",
                    "INSTANCE_PATH": str(instance), "TRUSTED_PROXIES": env.get("TRUSTED_PROXIES") or "1"}}


def render(cfg: dict[str, Any]) -> str:
    servers = "\n".join(f"    server 127.0.0.1:{p} max_fails=1 fail_timeout={FAIL_TIMEOUT}s;" for p in cfg["ports"])
    text = TEMPLATE.read_text()
    for placeholder in ("\n@SERVERS@\n", "listen @LISTEN@;"):
        assert text.count(placeholder) == 1, placeholder
    return text.replace("\n@SERVERS@\n", f"\n{servers}\n").replace("listen @LISTEN@;", f"listen {cfg['listen']};")


def nginx_main_conf(cfg: dict[str, Any]) -> Path:
    """A minimal nginx.conf around the site file, with every path under instance/cluster."""
    run: Path = cfg["run"]
    for sub in ("body", "proxy", "fastcgi", "uwsgi", "scgi"):
        (run / sub).mkdir(parents=True, exist_ok=True)
    (run / "diancan.conf").write_text(render(cfg))
    user = "user root root;\n" if os.geteuid() == 0 else ""  # workers write temp files under run/
    conf = run / "nginx.conf"
    conf.write_text(
        f"{user}worker_processes 1;\npid {run}/nginx.pid;\nerror_log stderr warn;\n"
        "events { worker_connections 4096; }\n"
        f"http {{\n  client_body_temp_path {run}/body;\n  proxy_temp_path {run}/proxy;\n"
        f"  fastcgi_temp_path {run}/fastcgi;\n  uwsgi_temp_path {run}/uwsgi;\n  scgi_temp_path {run}/scgi;\n"
        f"  include {run}/diancan.conf;\n}}\n")
    return conf


def prepare_database(cfg: dict[str, Any], env: dict[str, str]) -> None:
    url = cfg["env"]["DATABASE_URL"]
    if url.startswith("mysql"):
        import pymysql
        from sqlalchemy.engine import make_url

        parsed = make_url(url)
        conn = pymysql.connect(host=parsed.host or "127.0.0.1", port=parsed.port or 3306,
                               user=parsed.username or "root", password=parsed.password or "")
        with conn.cursor() as cur:
            cur.execute(f"CREATE DATABASE IF NOT EXISTS `{parsed.database}` "
                        "CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci")
        conn.close()
    for command in ("db-upgrade", "seed-demo"):
        subprocess.run([sys.executable, "-m", "flask", "--app", "app", command], cwd=ROOT, env=env, check=True)


def _workers(master: int) -> set[int]:
    """The gunicorn master's worker processes (Linux)."""
    try:
        return {int(p) for p in Path(f"/proc/{master}/task/{master}/children").read_text().split()}
    except OSError:
        return set()


class Cluster:
    def __init__(self, cfg: dict[str, Any]) -> None:
        self.cfg = cfg
        self.env = {**os.environ, **cfg["env"], "PYTHONPATH": str(ROOT), "HOST": "127.0.0.1"}
        self.procs: dict[int, subprocess.Popen[bytes]] = {}
        self.nginx: subprocess.Popen[bytes] | None = None
        self.stopping = False
        self.reload_wanted = False

    def start_process(self, port: int) -> None:
        self.procs[port] = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", str(ROOT / "gunicorn.conf.py"), "wsgi:app"],
            cwd=ROOT, env={**self.env, "PORT": str(port)}, start_new_session=True)
        self.write_status()

    def write_status(self) -> None:
        status = {"nginx": self.nginx.pid if self.nginx else None,
                  "processes": {str(port): proc.pid for port, proc in self.procs.items()}}
        (self.cfg["run"] / "processes.json").write_text(json.dumps(status))

    def ready(self, port: int, seconds: float = 60) -> bool:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline and not self.stopping:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/readyz", timeout=2) as r:  # noqa: S310
                    if r.status == 200:
                        return True
            except OSError:
                pass
            time.sleep(0.2)
        return False

    def stop_process(self, port: int) -> None:
        proc = self.procs.pop(port, None)
        if proc is None or proc.poll() is not None:
            return
        proc.terminate()  # gunicorn: graceful stop within GRACEFUL_TIMEOUT
        try:
            proc.wait(15)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()

    def rolling_restart(self) -> None:
        """One process at a time, gunicorn's own graceful reload (SIGHUP): the master keeps the
        listening socket open, starts a fresh worker on the new code, and retires the old one, so
        nginx never sees a refused connection and screens reconnect to the same port at once."""
        for port, proc in list(self.procs.items()):
            old = _workers(proc.pid)
            print(f"cluster: reloading the process on {port}", flush=True)
            proc.send_signal(signal.SIGHUP)
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline and not self.stopping:
                now = _workers(proc.pid)
                if now and not now & old:
                    break
                time.sleep(0.2)
            self.ready(port)

    def run(self) -> int:
        for port in self.cfg["ports"]:
            self.start_process(port)
        for port in self.cfg["ports"]:
            if not self.ready(port):
                print(f"cluster: the process on {port} did not become ready", file=sys.stderr)
                self.stop()
                return 1
        conf = nginx_main_conf(self.cfg)
        nginx = shutil.which("nginx") or "/usr/sbin/nginx"  # /usr/sbin is not on every user's PATH
        self.nginx = subprocess.Popen([nginx, "-p", str(self.cfg["run"]), "-c", str(conf), "-g", "daemon off;"],
                                      start_new_session=True)
        self.write_status()
        base = self.cfg["env"]["PUBLIC_BASE_URL"]
        print(f"cluster: nginx on {self.cfg['listen']} → gunicorn on {', '.join(map(str, self.cfg['ports']))}\n"
              f"  kitchen {base}/kds  console {base}/console  cashier {base}/pos  (Ctrl-C stops everything)",
              flush=True)
        while not self.stopping:
            time.sleep(0.5)
            if self.nginx.poll() is not None:
                print("cluster: nginx stopped", file=sys.stderr)
                self.stop()
                return 1
            if self.reload_wanted:
                self.reload_wanted = False
                self.rolling_restart()
            for port, proc in list(self.procs.items()):
                if proc.poll() is not None and not self.stopping:
                    print(f"cluster: the process on {port} exited ({proc.returncode}); starting it again",
                          file=sys.stderr, flush=True)
                    self.start_process(port)
        return 0

    def stop(self, *_: Any) -> None:
        self.stopping = True
        if self.nginx is not None and self.nginx.poll() is None:
            self.nginx.terminate()
        for port in list(self.procs):
            self.stop_process(port)
        if self.nginx is not None:
            try:
                self.nginx.wait(10)
            except subprocess.TimeoutExpired:
                self.nginx.kill()


def main() -> int:
    cfg = settings()
    if sys.argv[1:] == ["render"]:
        print(render(cfg))
        return 0
    cfg["run"].mkdir(parents=True, exist_ok=True)
    (cfg["run"] / "runner.pid").write_text(str(os.getpid()))  # make cluster-reload signals it
    cluster = Cluster(cfg)
    prepare_database(cfg, cluster.env)

    def on_stop(*_: Any) -> None:
        cluster.stopping = True

    def on_hup(*_: Any) -> None:
        cluster.reload_wanted = True

    signal.signal(signal.SIGINT, on_stop)
    signal.signal(signal.SIGTERM, on_stop)
    signal.signal(signal.SIGHUP, on_hup)
    try:
        code = cluster.run()
    finally:
        cluster.stop()
    print("cluster: stopped", flush=True)
    return code


if __name__ == "__main__":
    sys.exit(main())
