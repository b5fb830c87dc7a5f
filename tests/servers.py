"""Real servers for tests: Celery workers and Daphne on this test session's database, queue and
Redis prefix. Shared by the run tests and the browser tests.

Everything a suite puts in shared services is namespaced per test session: its own Celery
queue and Redis key prefix, so two sessions on one machine (or other suites) never collide.
The settings for runs are exported through the environment, so the worker and server
processes see the same ones.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import uuid
from pathlib import Path
from urllib.parse import quote

import pytest

from tests.runs.helpers import wait_for

SESSION = uuid.uuid4().hex[:8]
ROOT = Path(__file__).resolve().parents[1]

RUN_ENV = {
    "DYNAMICFLOW_EXTRA_TOOLS": "tests.runs.worker_tools",
    "DYNAMICFLOW_RUNS_QUEUE": f"runs-test-{SESSION}",
    "DYNAMICFLOW_REDIS_PREFIX": f"dftest-{SESSION}",
    "DYNAMICFLOW_RUN_LEASE_S": "2",
    "DYNAMICFLOW_RUN_POLL_S": "0.2",
    "DYNAMICFLOW_RUN_REAPER_S": "0.5",
    "DYNAMICFLOW_WS_POLL_S": "0.5",
    "DYNAMICFLOW_TOOL_LIMITS": '{"t_limited": {"concurrency": 2}}',
}
os.environ.update(RUN_ENV)


def _database_url() -> str:
    from django.db import connection

    s = connection.settings_dict
    auth = s["USER"] or "postgres"
    if s.get("PASSWORD"):
        auth += f":{s['PASSWORD']}"
    host = s["HOST"] or "127.0.0.1"
    if host.startswith("/"):  # a Unix socket directory (the embedded Postgres)
        host = quote(host, safe="")
    port = f":{s['PORT']}" if s.get("PORT") else ""
    return f"postgres://{auth}@{host}{port}/{s['NAME']}"


def service_env() -> dict[str, str]:
    env = dict(os.environ)
    env.update(RUN_ENV)
    env["DATABASE_URL"] = _database_url()
    env["DJANGO_SETTINGS_MODULE"] = "dynamicflow_site.settings.test"
    env["DYNAMICFLOW_DEV"] = "1"
    env["PYTHONPATH"] = str(ROOT)
    env["PYTHONUNBUFFERED"] = "1"
    return env


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Worker:
    def __init__(self, name: str, log_dir: Path) -> None:
        self.name = name
        self.log = log_dir / f"{name}.log"
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        from flows.runs import conf

        self.log.write_text("")
        command = [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "dynamicflow_site",
            "worker",
            "--pool=solo",
            "-Q",
            conf.runs_queue(),
            "-n",
            f"{self.name}-{SESSION}@%h",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
            "-l",
            "info",
        ]
        with open(self.log, "ab") as out:
            self.process = subprocess.Popen(
                command, cwd=ROOT, env=service_env(), stdout=out, stderr=subprocess.STDOUT
            )

    def wait_ready(self, timeout: float = 60.0) -> None:
        def ready() -> bool:
            assert self.process is not None
            if self.process.poll() is not None:
                pytest.fail(f"worker {self.name} exited:\n{self.log.read_text()[-3000:]}")
            return " ready." in self.log.read_text()

        wait_for(ready, timeout, 0.1, f"worker {self.name} to be ready")

    @property
    def pid(self) -> int:
        assert self.process is not None
        return self.process.pid

    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def kill(self) -> None:
        if self.alive():
            assert self.process is not None
            os.kill(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.alive():
            assert self.process is not None
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.kill()


class Workers:
    """Two real Celery worker processes (solo pool) on this session's queue."""

    def __init__(self, log_dir: Path) -> None:
        self.items = [Worker("w1", log_dir), Worker("w2", log_dir)]

    def ensure_running(self) -> None:
        stopped = [w for w in self.items if not w.alive()]
        for worker in stopped:
            worker.start()
        for worker in stopped:
            worker.wait_ready()

    def by_pid(self, pid: int) -> Worker:
        return next(w for w in self.items if w.pid == pid)

    def stop(self) -> None:
        for worker in self.items:
            worker.stop()


def purge_queue() -> None:
    import redis

    from flows.runs import conf

    client = redis.Redis.from_url(conf.redis_url())
    with contextlib.suppress(Exception):
        client.delete(conf.runs_queue())
        for key in client.scan_iter(f"{conf.redis_prefix()}:*"):
            client.delete(key)


class Daphne:
    def __init__(self, log: Path) -> None:
        self.port = free_port()
        self.log = log
        with open(log, "ab") as out:
            self.process = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "daphne",
                    "-b",
                    "127.0.0.1",
                    "-p",
                    str(self.port),
                    "dynamicflow_site.asgi:application",
                ],
                cwd=ROOT,
                env=service_env(),
                stdout=out,
                stderr=subprocess.STDOUT,
            )

        def listening() -> bool:
            if self.process.poll() is not None:
                pytest.fail(f"daphne exited:\n{self.log.read_text()[-3000:]}")
            with socket.socket() as sock:
                return sock.connect_ex(("127.0.0.1", self.port)) == 0

        wait_for(listening, 60, 0.1, "daphne to listen")

    def url(self, path: str) -> str:
        return f"ws://127.0.0.1:{self.port}{path}"

    @property
    def origin(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=10)
        # Its run-notice connection's backend ends a moment after the process: the test
        # database can be dropped only once it has.
        wait_for(_notice_backends_gone, 10, 0.05, "daphne's database connections to close")


def _notice_backends_gone() -> bool:
    """No run-notice connection is left on the test database (asked on a connection of
    its own: a fixture's teardown may not use the test's)."""
    import psycopg

    from flows.runs.listener import APPLICATION_NAME
    from flows.runs.store import connection_params

    with psycopg.connect(autocommit=True, **connection_params()) as conn:
        row = conn.execute(
            "SELECT count(*) FROM pg_stat_activity"
            " WHERE application_name = %s AND datname = current_database()",
            [APPLICATION_NAME],
        ).fetchone()
    return row is not None and row[0] == 0
