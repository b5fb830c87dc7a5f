"""Workers survive their broker: Redis restarted under a live worker (its own
redis-server on a free port, never the machine's shared one), then new runs complete, and a
run in flight during the restart completes too (issue 13, item 3)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from dynamicflow_site.launcher import worker_command
from tests.runs.helpers import wait_for
from tests.servers import ROOT, free_port, service_env

pytestmark = pytest.mark.slow

REDIS_SERVER = shutil.which("redis-server") or "/usr/bin/redis-server"


class Redis:
    def __init__(self, port: int, log: Path) -> None:
        self.port = port
        self.log = log
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        with open(self.log, "ab") as out:
            self.process = subprocess.Popen(
                [
                    REDIS_SERVER,
                    "--port",
                    str(self.port),
                    "--bind",
                    "127.0.0.1",
                    "--save",
                    "",
                    "--appendonly",
                    "no",
                ],
                stdout=out,
                stderr=subprocess.STDOUT,
            )
        wait_for(self.ping, 10, 0.05, "redis to answer")

    def ping(self) -> bool:
        import redis

        try:
            return bool(redis.Redis(port=self.port, socket_timeout=0.5).ping())
        except redis.RedisError:
            return False

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=10)


@pytest.fixture
def redis_server(tmp_path: Path) -> Any:
    if not os.path.exists(REDIS_SERVER):
        pytest.skip("redis-server is not installed")
    server = Redis(free_port(), tmp_path / "redis.log")
    server.start()
    yield server
    server.stop()


@pytest.fixture
def launcher_worker(redis_server: Redis, transactional_db: None, tmp_path: Path) -> Any:
    """The worker `make run` starts (prefork pool, beat), on the private Redis."""
    env = service_env()
    env["REDIS_URL"] = f"redis://127.0.0.1:{redis_server.port}/0"
    env["DYNAMICFLOW_RUNS_QUEUE"] = "celery"
    log = tmp_path / "worker.log"
    command = [*worker_command(), "--schedule", str(tmp_path / "beat")]
    command[command.index("--concurrency") + 1] = "1"
    with open(log, "ab") as out:
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
    wait_for(
        lambda: " ready." in log.read_text() or process.poll() is not None,
        90,
        0.1,
        "the worker to be ready",
    )
    assert process.poll() is None, log.read_text()[-3000:]
    yield process, log, env
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()


def _run(env: dict[str, str], version_id: int, user_id: int, seconds: float = 0.0) -> str:
    """Create and enqueue a run through the private broker (a subprocess with its env)."""
    code = (
        "import django, sys; django.setup();"
        "from django.contrib.auth import get_user_model;"
        "from flows.runs.services import run_create;"
        f"u = get_user_model().objects.get(pk={user_id});"
        f"r = run_create(user=u, flow_version_id={version_id}, run_input={{'seconds': {seconds},"
        " 'log': ''});"
        "print(r.id)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return out.stdout.strip().splitlines()[-1]


def _status(run_id: str) -> str:
    from flows.models import Run

    return Run.objects.get(pk=run_id).status


def test_a_redis_restart_leaves_the_worker_consuming(
    launcher_worker, redis_server, user, make_version
):
    process, log, env = launcher_worker
    version = make_version(
        {
            "name": "slow",
            "nodes": [
                {
                    "id": "s",
                    "type": "tool",
                    "tool": "t_slow",
                    "inputs": {"seconds": "input.seconds", "log": "input.log"},
                }
            ],
        }
    )
    first = _run(env, version.id, user.id)
    wait_for(lambda: _status(first) == "completed", 60, 0.1, "the first run")

    in_flight = _run(env, version.id, user.id, seconds=4)
    wait_for(lambda: _status(in_flight) == "running", 60, 0.05, "the slow run to start")
    for _ in range(2):
        redis_server.stop()
        time.sleep(3)
        redis_server.start()
        time.sleep(1)
    assert process.poll() is None, log.read_text()[-4000:]

    after = _run(env, version.id, user.id)
    wait_for(lambda: _status(after) == "completed", 90, 0.1, "a run after the restart")
    wait_for(lambda: _status(in_flight) == "completed", 90, 0.1, "the run in flight")
    text = log.read_text()
    assert process.poll() is None
    assert "Unrecoverable error" not in text, text[-4000:]
    assert "hostname" not in text
