"""`make run`: the whole stack on one machine with one command.

Starts embedded Postgres and Redis when DATABASE_URL / REDIS_URL are unset, migrates,
creates the admin account, then runs one Daphne process and one Celery worker (with beat)
until Ctrl-C, which stops every process it started. Data stays under var/.
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
        processes = [
            subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "daphne",
                    "-b",
                    HOST,
                    "-p",
                    PORT,
                    "dynamicflow_site.asgi:application",
                ],
                env=env,
            ),
            subprocess.Popen(
                [
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
                    "--schedule",
                    os.path.join("var", "celerybeat-schedule"),
                ],
                env=env,
            ),
        ]
        print(f"\nDynamicFlow is running at http://{HOST}:{PORT}/  (Ctrl-C stops it)\n", flush=True)
        stopping = False

        def stop(*_: object) -> None:
            nonlocal stopping
            stopping = True

        signal.signal(signal.SIGINT, stop)
        signal.signal(signal.SIGTERM, stop)
        try:
            while not stopping and all(p.poll() is None for p in processes):
                time.sleep(0.5)
        finally:
            for process in processes:
                if process.poll() is None:
                    process.terminate()
            deadline = time.monotonic() + 15
            for process in processes:
                try:
                    process.wait(timeout=max(0.1, deadline - time.monotonic()))
                except subprocess.TimeoutExpired:
                    process.kill()
        (VAR_DIR / SERVICES_FILE).unlink(missing_ok=True)
        failed = [p for p in processes if p.returncode not in (0, -signal.SIGTERM, None)]
        return 1 if failed and not stopping else 0


if __name__ == "__main__":
    sys.exit(main())
