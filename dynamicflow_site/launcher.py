"""`make run`: the whole stack on one machine with one command.

Starts embedded Postgres and Redis when DATABASE_URL / REDIS_URL are unset, migrates,
creates the admin account, then runs one Daphne process and one Celery worker (with beat)
until Ctrl-C, which stops every process it started; a process that dies is started again
(and the launcher says so). Data stays under var/.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

from dynamicflow_site.embedded import SERVICES_FILE, VAR_DIR, embedded_services, write_services_file

HOST = os.environ.get("DYNAMICFLOW_HOST", "127.0.0.1")
PORT = os.environ.get("DYNAMICFLOW_PORT", "8000")


def _manage(*args: str, env: dict[str, str]) -> None:
    subprocess.run([sys.executable, "manage.py", *args], env=env, check=True)


def main() -> int:
    with embedded_services() as service_env:
        env = {**os.environ, **service_env}
        env.setdefault("DEBUG", "1")
        env.setdefault("DYNAMICFLOW_DEV", "1")
        write_services_file({key: env[key] for key in ("DATABASE_URL", "REDIS_URL")})
        _manage("migrate", "--no-input", "-v", "0", env=env)
        _manage("bootstrap", env=env)
        commands = {
            "web server": [
                sys.executable,
                "-m",
                "daphne",
                "-b",
                HOST,
                "-p",
                PORT,
                "dynamicflow_site.asgi:application",
            ],
            "worker": worker_command(),
        }
        processes = {name: subprocess.Popen(command, env=env) for name, command in commands.items()}
        print(f"\nDynamicFlow is running at http://{HOST}:{PORT}/  (Ctrl-C stops it)\n", flush=True)
        stopping = False

        def stop(*_: object) -> None:
            nonlocal stopping
            stopping = True

        signal.signal(signal.SIGINT, stop)
        signal.signal(signal.SIGTERM, stop)
        restarts: dict[str, list[float]] = {name: [] for name in commands}
        try:
            while not stopping:
                time.sleep(0.5)
                for name, process in list(processes.items()):
                    if stopping or process.poll() is None:
                        continue
                    # A child that dies is started again (at most 5 times a minute).
                    now = time.monotonic()
                    recent = [t for t in restarts[name] if now - t < 60]
                    if len(recent) >= 5:
                        print(f"\nThe {name} keeps dying; stopping.", flush=True)
                        stopping = True
                        break
                    restarts[name] = [*recent, now]
                    print(
                        f"\nThe {name} exited with status {process.returncode}; starting it "
                        "again.",
                        flush=True,
                    )
                    processes[name] = subprocess.Popen(commands[name], env=env)
        finally:
            for process in processes.values():
                if process.poll() is None:
                    process.terminate()
            deadline = time.monotonic() + 15
            for process in processes.values():
                try:
                    process.wait(timeout=max(0.1, deadline - time.monotonic()))
                except subprocess.TimeoutExpired:
                    process.kill()
        (VAR_DIR / SERVICES_FILE).unlink(missing_ok=True)
        failed = [
            p for p in processes.values() if p.returncode not in (0, -signal.SIGTERM, None)
        ]
        return 1 if failed and not stopping else 0


def worker_command() -> list[str]:
    """The Celery worker of `make run`: beat embedded, two pool processes.

    Gossip, mingle and the event heartbeat are off: nothing here uses them, and they are
    the bootsteps that reopen channels when the broker comes back. The reported crash on a
    Redis restart (`'NoneType' object has no attribute 'hostname'` in kombu's
    `Channel._connparams`) is a channel whose connection was already closed and released
    (kombu clears `transport.client` then) creating a new connection pool; kombu issue
    #582 shows it from the gossip step. With kombu 5.7.0 here a restart under load did not
    reproduce it with or without these steps (tests/hardening/test_broker_restart.py); the
    launcher restarts a worker that dies all the same.
    """
    return [
        sys.executable,
        "-m",
        "celery",
        "-A",
        "dynamicflow_site",
        "worker",
        "-B",
        "--loglevel",
        "INFO",
        "--concurrency",
        "2",
        "--without-gossip",
        "--without-mingle",
        "--without-heartbeat",
        "--schedule",
        os.path.join("var", "celerybeat-schedule"),
    ]


if __name__ == "__main__":
    sys.exit(main())
