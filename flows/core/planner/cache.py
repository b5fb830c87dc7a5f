"""The plan cache port and its key: the same request against the same tools, planner and
model returns the stored IR without asking the model again."""

from __future__ import annotations

import hashlib
import json
import threading
import time
import unicodedata
from collections.abc import Callable, Iterable
from functools import lru_cache
from pathlib import Path
from typing import Any, Protocol

from flows.core.ir import IR_VERSION, Join
from flows.core.planner.per_catalogue import PerCatalogue
from flows.core.tools import ToolSpec

DEFAULT_TTL_S = 24 * 3600
_KEY_VERSION = "1"


class PlanCache(Protocol):
    def get(self, key: str) -> dict[str, Any] | None: ...

    def set(self, key: str, value: dict[str, Any], ttl_s: int) -> None: ...


def normalise_prompt(prompt: str) -> str:
    """Case, Unicode forms and runs of whitespace do not make a different request."""
    text = unicodedata.normalize("NFKC", prompt).casefold()
    return " ".join(text.split()).strip()


def catalog_hash(specs: Iterable[ToolSpec], joins: Iterable[Join] = ()) -> str:
    """A digest of everything about the tools a plan depends on (ids, schemas, config)."""
    payload = {
        "tools": _tools_digest(tuple(specs)),
        "joins": sorted(
            (join.model_dump(mode="json") for join in joins),
            key=lambda j: (j["from_tool"], j["to_tool"]),
        ),
    }
    text = json.dumps(payload, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(text.encode()).hexdigest()


def _digest_of(specs: tuple[ToolSpec, ...]) -> str:
    entries = sorted(
        (spec.to_catalog_entry() for spec in specs), key=lambda entry: str(entry["id"])
    )
    text = json.dumps(entries, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(text.encode()).hexdigest()


#: The tools' digest, written out once per catalogue rather than for every plan.
_tools_digest = PerCatalogue(_digest_of)


@lru_cache(maxsize=1)
def planner_code_digest() -> str:
    """A digest of the planners' own source: a plan cached by an older planner (one that
    read "bake a cake" as "bake a case") is not served once the planner has changed."""
    digest = hashlib.sha256()
    for path in sorted(Path(__file__).parent.glob("*.py")):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def plan_cache_key(
    *, prompt: str, catalog_digest: str, planner: str, model: str | None, kind: str = "plan"
) -> str:
    parts = {
        "v": _KEY_VERSION,
        "ir": IR_VERSION,
        "kind": kind,
        "prompt": normalise_prompt(prompt),
        "catalog": catalog_digest,
        "planner": planner,
        "model": model or "",
        "code": planner_code_digest(),
    }
    digest = hashlib.sha256(json.dumps(parts, sort_keys=True).encode()).hexdigest()
    return f"plan:{digest}"


class InMemoryPlanCache:
    """A process-local cache with expiry (tests, the CLI without Redis)."""

    def __init__(self, *, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._items: dict[str, tuple[float, dict[str, Any]]] = {}
        self._lock = threading.Lock()

    def get(self, key: str) -> dict[str, Any] | None:
        with self._lock:
            item = self._items.get(key)
            if item is None:
                return None
            expires, value = item
            if self._clock() >= expires:
                del self._items[key]
                return None
            return json.loads(json.dumps(value))

    def set(self, key: str, value: dict[str, Any], ttl_s: int) -> None:
        with self._lock:
            self._items[key] = (self._clock() + ttl_s, json.loads(json.dumps(value)))
