"""Expressions and values bounded at run time.

The validator's limits (length, three comprehensions, nesting) bound an expression's text,
not its work: three nested comprehensions over a list of 200 items are 8 million steps.
At run time every evaluation of a CEL program therefore has

- a **budget**: at most `expression_s` seconds per expression, and at most `node_s`
  seconds for all the expressions of one node (a map node's per-item inputs included);
- a **size cap**: no value a node produces (an output, a tool's inputs) may be larger
  than `max_value_bytes` once encoded as JSON.

Both fail the node with an error naming the node, the field and the limit.

How a budget is enforced: the Rust CEL runtime cannot be interrupted, and it holds the
GIL while it works. Before evaluating, we estimate the work from the sizes of the values
the expression reads (`estimate`): the expression's references times the values' size,
times the longest list to the power of its comprehensions. A cheap evaluation (at most
`inline_steps`, well under a tenth of a second) runs inline; anything else runs in a
child process (`flows.core.sandbox`) that the caller's event loop waits for without
blocking, and kills when the budget runs out or the node is cancelled.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import math
import os
import struct
import sys
import time
import weakref
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple

from flows.core.expressions import Expression, ExpressionError

_HEADER = struct.Struct(">Q")
_ROOT = str(Path(__file__).resolve().parents[2])

#: Values larger than this many JSON values are "huge": never evaluated inline.
WALK_LIMIT = 100_000


@dataclass(frozen=True, slots=True)
class ExpressionLimits:
    #: Seconds one expression may run.
    expression_s: float = 3.0
    #: Seconds all the expressions of one node may run together.
    node_s: float = 10.0
    #: The largest value (JSON-encoded bytes) a node may produce.
    max_value_bytes: int = 4 * 1024 * 1024
    #: Estimated steps below which an evaluation runs inline (no child process).
    inline_steps: int = 50_000
    #: The address space of an evaluating child process.
    sandbox_memory_bytes: int = 1024 * 1024 * 1024
    #: Child processes evaluating at once, per event loop.
    sandboxes: int = 2


class LimitExceeded(ExpressionError):
    """A budget or a size cap was exceeded. `code` is `expression_budget`, `node_budget`,
    `value_too_large` or `expression_memory`; `limit` the limit that was hit."""

    def __init__(self, message: str, *, expression: str, code: str, limit: float) -> None:
        super().__init__(message, expression=expression, kind="limit")
        self.code = code
        self.limit = limit


# --------------------------------------------------------------------------- sizes


class Size(NamedTuple):
    """How big a JSON value is: its values (capped at WALK_LIMIT + 1), its longest list,
    and the characters of its strings and keys. (A tuple: the engine makes two a node,
    and a frozen dataclass costs several times as much to build.)"""

    nodes: int
    longest: int
    chars: int

    @property
    def huge(self) -> bool:
        return self.nodes > WALK_LIMIT

    @property
    def approx_bytes(self) -> int:
        return self.chars + 24 * self.nodes


_SCALARS = frozenset({int, float, bool, type(None)})
#: Builds a Size without the Python-level `__new__` a NamedTuple call goes through (a
#: third of the cost; every node's inputs and output are measured).
_new_size = tuple.__new__
#: The size of a number, a boolean or null (and of `{}`, `[]` and `""`): one value.
_ONE = Size(1, 0, 0)


#: The sizes of small flat dicts, shared (keyed by characters << 5 | entries): measuring
#: most outputs then allocates nothing, which also spares the cyclic collector a run now
#: and then. Bounded: at most 17 entries per character count below _FLAT_CHARS.
_flat_sizes: dict[int, Size] = {}
_FLAT_CHARS = 1024


def _flat_size(entries: int, chars: int, key: int) -> Size:
    """The size of a flat dict of `entries` scalars or strings with `chars` characters,
    shared under `key` (measure looks the shared ones up itself, a call less per value)."""
    size = _new_size(Size, (1 + entries, 0, chars))
    if chars < _FLAT_CHARS:
        _flat_sizes[key] = size
    return size


def measure(value: Any) -> Size:
    """The size of `value`, walking at most WALK_LIMIT + 1 values."""
    kind = type(value)
    # Most node outputs and inputs are small flat dicts or scalars: answer those without
    # the walk (and without isinstance against Mapping, an ABC check that is slow).
    if kind is dict and len(value) <= 16:
        chars = 0
        for key, item in value.items():
            kind = type(item)
            if kind is str:
                chars += len(item)
            elif kind not in _SCALARS:
                break  # nested: walk it below
            chars += len(key) if type(key) is str or isinstance(key, str) else 8
        else:
            entries = len(value)
            key = chars << 5 | entries  # entries <= 16
            return _flat_sizes.get(key) or _flat_size(entries, chars, key)
    elif kind in _SCALARS or (not value and (kind is list or kind is str)):
        return _ONE
    elif kind is str:
        return _new_size(Size, (1, 0, len(value)))
    nodes = longest = chars = 0
    stack = [value]
    while stack:
        item = stack.pop()
        nodes += 1
        if nodes > WALK_LIMIT:
            break
        kind = type(item)
        if kind in _SCALARS:
            continue
        if kind is str:
            chars += len(item)
        elif kind is dict:
            for key in item:
                chars += len(key) if isinstance(key, str) else 8
            stack.extend(item.values())
        elif kind is list or kind is tuple:
            longest = max(longest, len(item))
            stack.extend(item)
        elif isinstance(item, str):
            chars += len(item)
        elif isinstance(item, Mapping):
            for key in item:
                chars += len(key) if isinstance(key, str) else 8
            stack.extend(item.values())
        elif isinstance(item, list | tuple):
            longest = max(longest, len(item))
            stack.extend(item)
    return _new_size(Size, (nodes, longest, chars))


def json_size(value: Any) -> int:
    """The length of `value` encoded as compact JSON."""
    return len(json.dumps(value, separators=(",", ":"), default=str, ensure_ascii=False))


def check_size(value: Any, limit: int, size: Size | None = None) -> Size:
    """`value`'s size; raises ValueTooLarge when its JSON is longer than `limit`."""
    size = size or measure(value)
    nodes = size.nodes  # the properties `huge` and `approx_bytes`, inline: once per value
    if nodes > WALK_LIMIT or size.chars + 24 * nodes > limit // 2:
        actual = json_size(value)
        if actual > limit:
            raise ValueTooLarge(actual, limit)
    return size


class ValueTooLarge(Exception):
    def __init__(self, size: int, limit: int) -> None:
        super().__init__(f"the value is {size} bytes as JSON; the limit is {limit} bytes")
        self.size = size
        self.limit = limit


def estimate(expression: Expression, sizes: Iterable[Size]) -> float:
    """Steps an evaluation may take, at most (about a microsecond each)."""
    nodes = chars = longest = 0
    for size in sizes:
        if size.huge:
            return math.inf
        nodes += size.nodes
        chars += size.chars
        longest = max(longest, size.longest)
    base = expression.references * (nodes + chars / 256 + 1)
    return base * float(longest + 1) ** expression.comprehensions


# --------------------------------------------------------------------------- budgets


@dataclass(slots=True)
class NodeBudget:
    """The evaluation time one node has left."""

    limit_s: float
    spent_s: float = 0.0

    def remaining(self) -> float:
        return self.limit_s - self.spent_s


@dataclass(slots=True)
class _Stats:
    inline: int = 0
    sandboxed: int = 0
    killed: int = 0


#: Counters for tests and benchmarks.
stats = _Stats()


async def evaluate_bounded(
    expression: Expression,
    env: Mapping[str, Any],
    limits: ExpressionLimits,
    *,
    sizes: Mapping[str, Size] | None = None,
    budget: NodeBudget | None = None,
) -> Any:
    """Evaluate within the expression's (and the node's) budget, inline when cheap."""
    if expression.program is None:
        return expression.evaluate(env)
    names = [name for name in expression.variables if name in env]
    known = sizes or {}
    steps = estimate(
        expression, [known[n] if n in known else measure(env[n]) for n in names]
    )
    timeout, code = limits.expression_s, "expression_budget"
    if budget is not None and budget.remaining() < timeout:
        timeout, code = budget.remaining(), "node_budget"
        if timeout <= 0:
            raise _budget_error(expression, code, budget.limit_s)
    started = time.perf_counter()
    try:
        if steps <= limits.inline_steps:
            stats.inline += 1
            return expression.evaluate(env)
        stats.sandboxed += 1
        activation = {name: env[name] for name in names}
        return await _pool(limits).evaluate(
            expression, activation, timeout=timeout, max_bytes=limits.max_value_bytes, code=code,
            limit=budget.limit_s if code == "node_budget" and budget else limits.expression_s,
        )
    finally:
        if budget is not None:
            budget.spent_s += time.perf_counter() - started


def _budget_error(expression: Expression, code: str, limit: float) -> LimitExceeded:
    if code == "node_budget":
        message = (
            f"the node's expressions ran for more than their budget of {limit:g}s together "
            "(split the work across nodes, or pass smaller lists)"
        )
    else:
        message = (
            f"the expression ran for more than its budget of {limit:g}s and was stopped "
            "(nested comprehensions multiply work by the length of each list: split the "
            "work across nodes, or pass smaller lists)"
        )
    return LimitExceeded(message, expression=expression.source, code=code, limit=limit)


# --------------------------------------------------------------------------- sandbox


class _Child:
    def __init__(self, process: asyncio.subprocess.Process) -> None:
        self.process = process

    def kill(self) -> None:
        if self.process.returncode is None:
            with contextlib.suppress(ProcessLookupError):
                self.process.kill()
        # Close the pipes now: a transport left to the garbage collector may outlive its
        # event loop.
        transport = getattr(self.process, "_transport", None)
        if transport is not None:
            with contextlib.suppress(Exception):
                transport.close()

    @property
    def alive(self) -> bool:
        return self.process.returncode is None


class SandboxPool:
    """Child processes evaluating costly expressions for one event loop."""

    START_TIMEOUT_S = 60.0

    def __init__(self, limits: ExpressionLimits) -> None:
        self.memory = limits.sandbox_memory_bytes
        self.idle: list[_Child] = []
        self.busy: set[_Child] = set()
        self.slots = asyncio.Semaphore(max(1, limits.sandboxes))

    async def _start(self) -> _Child:
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [_ROOT, env.get("PYTHONPATH")]))
        process = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "flows.core.sandbox",
            str(os.getpid()),
            str(self.memory),
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.DEVNULL,
            env=env,
            cwd=_ROOT,
        )
        child = _Child(process)
        try:
            async with asyncio.timeout(self.START_TIMEOUT_S):
                assert process.stdout is not None
                await process.stdout.readexactly(1)
        except BaseException:
            child.kill()
            raise
        return child

    async def evaluate(
        self,
        expression: Expression,
        activation: dict[str, Any],
        *,
        timeout: float,
        max_bytes: int,
        code: str,
        limit: float,
    ) -> Any:
        async with self.slots:
            child = None
            while self.idle and child is None:
                candidate = self.idle.pop()
                child = candidate if candidate.alive else None
            if child is None:
                child = await self._start()
            self.busy.add(child)
            healthy = False
            try:
                response = await self._ask(child, expression, activation, timeout, max_bytes)
                healthy = True
            except TimeoutError:
                stats.killed += 1
                raise _budget_error(expression, code, limit) from None
            except (asyncio.IncompleteReadError, ConnectionError, BrokenPipeError):
                raise LimitExceeded(
                    f"the evaluation ran out of memory (its limit is {self.memory} bytes)",
                    expression=expression.source,
                    code="expression_memory",
                    limit=self.memory,
                ) from None
            finally:
                self.busy.discard(child)
                if healthy:
                    self.idle.append(child)
                else:
                    child.kill()
        if "ok" in response:
            return response["ok"]
        if response.get("code") == "too_large":
            raise LimitExceeded(
                f"the value is {response['size']} bytes as JSON; the limit is {max_bytes} "
                "bytes",
                expression=expression.source,
                code="value_too_large",
                limit=max_bytes,
            )
        if response.get("code") == "memory":
            raise LimitExceeded(
                f"the evaluation ran out of memory (its limit is {self.memory} bytes)",
                expression=expression.source,
                code="expression_memory",
                limit=self.memory,
            )
        raise ExpressionError(
            response.get("error") or "evaluation failed",
            expression=expression.source,
            column=response.get("column"),
        )

    async def _ask(
        self,
        child: _Child,
        expression: Expression,
        activation: dict[str, Any],
        timeout: float,
        max_bytes: int,
    ) -> dict[str, Any]:
        process = child.process
        assert process.stdin is not None
        assert process.stdout is not None
        payload = json.dumps(
            {"source": expression.source, "activation": activation, "max_bytes": max_bytes},
            separators=(",", ":"),
            default=str,
        ).encode()
        async with asyncio.timeout(max(timeout, 0.001)):
            process.stdin.write(_HEADER.pack(len(payload)) + payload)
            await process.stdin.drain()
            header = await process.stdout.readexactly(_HEADER.size)
            body = await process.stdout.readexactly(_HEADER.unpack(header)[0])
        return dict(json.loads(body))

    def close(self) -> None:
        for child in [*self.idle, *self.busy]:
            child.kill()
        self.idle.clear()
        self.busy.clear()

    async def aclose(self) -> None:
        children = [*self.idle, *self.busy]
        self.close()
        for child in children:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(child.process.wait(), 5)


_pools: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, SandboxPool] = (
    weakref.WeakKeyDictionary()
)


def _pool(limits: ExpressionLimits) -> SandboxPool:
    loop = asyncio.get_running_loop()
    pool = _pools.get(loop)
    if pool is None:
        pool = _pools[loop] = SandboxPool(limits)
    return pool


def close_sandboxes() -> None:
    """Kill every evaluating child process of this process (worker shutdown)."""
    for pool in list(_pools.values()):
        pool.close()


async def close_loop_sandboxes() -> None:
    """Kill and reap the child processes of the running loop (before it closes)."""
    pool = _pools.pop(asyncio.get_running_loop(), None)
    if pool is not None:
        await pool.aclose()
