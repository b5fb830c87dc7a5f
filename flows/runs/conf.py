"""Run settings: each read from Django settings, then the environment, then a default.

The environment fallback lets a test start worker processes with short leases without a
settings module of its own.
"""

from __future__ import annotations

import json
import os
from typing import Any

from django.conf import settings

from flows.core.bounded import ExpressionLimits


def _setting(name: str) -> Any:
    value = getattr(settings, name, None)
    if value is None:
        value = os.environ.get(name)
    return value


def _float(name: str, default: float) -> float:
    value = _setting(name)
    return default if value in (None, "") else float(value)


def lease_s() -> float:
    """How long a worker's claim on a run lasts without renewal (a dead worker's run waits
    at most this long before another worker takes it over)."""
    return _float("DYNAMICFLOW_RUN_LEASE_S", 30.0)


def poll_s() -> float:
    """How often a running run renews its lease and checks for a cancel request."""
    return _float("DYNAMICFLOW_RUN_POLL_S", min(0.5, lease_s() / 3))


def requeue_s() -> float:
    """How long a run may stay enqueued but unclaimed before it is sent again (its message
    may have been reserved by a worker that died; a second delivery is harmless)."""
    return _float("DYNAMICFLOW_RUN_REQUEUE_S", 300.0)


def reaper_interval_s() -> float:
    """How often each worker looks for runs whose lease expired."""
    return _float("DYNAMICFLOW_RUN_REAPER_S", max(0.2, lease_s() / 2))


def reaper_enabled() -> bool:
    """Whether each worker runs the thread that re-enqueues runs of dead workers."""
    return str(_setting("DYNAMICFLOW_RUN_REAPER") or "1").lower() not in {"0", "false", "no"}


def ws_poll_s() -> float:
    """How often a websocket with no live traffic checks the database for missed events."""
    return _float("DYNAMICFLOW_WS_POLL_S", 1.0)


def tools_ttl_s() -> float:
    """How long a process reuses its snapshot of the registry's tools and joins."""
    return _float("DYNAMICFLOW_TOOLS_TTL_S", 5.0)


def run_timeout_s() -> float | None:
    """The default whole-run timeout when the flow sets none (0 or unset: no limit)."""
    value = _float("DYNAMICFLOW_RUN_TIMEOUT_S", 0.0)
    return value or None


def runs_queue() -> str:
    return str(_setting("DYNAMICFLOW_RUNS_QUEUE") or "celery")


def extra_tool_modules() -> list[str]:
    value = _setting("DYNAMICFLOW_EXTRA_TOOLS") or ""
    if isinstance(value, list | tuple):
        return [str(v) for v in value]
    return [part.strip() for part in str(value).split(",") if part.strip()]


def tool_limits() -> dict[str, dict[str, float]]:
    """tool id -> {"concurrency": n, "rate_per_s": r, "burst": b}, enforced across workers."""
    value = _setting("DYNAMICFLOW_TOOL_LIMITS") or {}
    if isinstance(value, str):
        value = json.loads(value)
    return dict(value)


def redis_url() -> str:
    return str(getattr(settings, "REDIS_URL", None) or os.environ["REDIS_URL"])


def redis_prefix() -> str:
    return str(_setting("DYNAMICFLOW_REDIS_PREFIX") or "dynamicflow")


def max_concurrency() -> int:
    return int(_float("DYNAMICFLOW_MAX_CONCURRENCY", 32))


def expression_limits() -> ExpressionLimits:
    """Budgets and the value size cap for expressions (flows/core/bounded.py)."""
    default = ExpressionLimits()
    return ExpressionLimits(
        expression_s=_float("DYNAMICFLOW_EXPRESSION_BUDGET_S", default.expression_s),
        node_s=_float("DYNAMICFLOW_NODE_BUDGET_S", default.node_s),
        max_value_bytes=int(_float("DYNAMICFLOW_MAX_VALUE_BYTES", default.max_value_bytes)),
        sandbox_memory_bytes=int(
            _float("DYNAMICFLOW_EXPRESSION_MEMORY_BYTES", default.sandbox_memory_bytes)
        ),
    )


def max_claims() -> int:
    """How many times a run may be taken over after its worker lost the lease before it
    fails (a run that kills or hangs every worker that executes it)."""
    return int(_float("DYNAMICFLOW_RUN_MAX_CLAIMS", 5))
