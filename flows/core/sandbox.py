"""A child process that evaluates costly CEL expressions, so that they can be stopped.

The Rust CEL runtime holds the GIL for a whole evaluation and cannot be interrupted, so an
evaluation the cost estimate calls costly runs here instead: the parent sends
`{"source", "activation", "max_bytes"}` and waits on its own event loop (which keeps
renewing the run's lease and watching for a cancel); when the budget runs out or the node
is cancelled it kills the child (SIGKILL) and starts another on the next costly
evaluation. The child's address space is capped (RLIMIT_AS), so a value that explodes in
memory ends the child, not the worker, and it dies with its parent (PR_SET_PDEATHSIG), so
no evaluation outlives the worker that asked for it.

Frames are an 8-byte big-endian length and a JSON document. The child writes one byte,
b"R", when it is ready to serve.
"""

from __future__ import annotations

import json
import os
import signal
import struct
import sys
from typing import Any, BinaryIO

_HEADER = struct.Struct(">Q")
READY = b"R"


def _die_with_parent(parent: int) -> None:
    try:
        import ctypes

        libc = ctypes.CDLL("libc.so.6", use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass
    if os.getppid() != parent:  # the parent died before prctl took effect
        os._exit(0)


def _limit_memory(limit: int) -> None:
    if limit <= 0:
        return
    try:
        import resource

        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    except (ImportError, ValueError, OSError):
        pass


def _read(stream: BinaryIO, size: int) -> bytes | None:
    data = b""
    while len(data) < size:
        chunk = stream.read(size - len(data))
        if not chunk:
            return None
        data += chunk
    return data


def _write(stream: BinaryIO, document: Any) -> None:
    payload = json.dumps(document, separators=(",", ":"), default=str).encode()
    stream.write(_HEADER.pack(len(payload)) + payload)
    stream.flush()


def serve(stdin: BinaryIO, stdout: BinaryIO) -> None:
    from flows.core.expressions import ExpressionError, compile_expression

    stdout.write(READY)
    stdout.flush()
    while True:
        header = _read(stdin, _HEADER.size)
        if header is None:
            return
        body = _read(stdin, _HEADER.unpack(header)[0])
        if body is None:
            return
        request = json.loads(body)
        try:
            value = compile_expression(request["source"]).evaluate(request["activation"])
        except ExpressionError as exc:
            _write(stdout, {"error": exc.message, "column": exc.column})
            continue
        except MemoryError:
            _write(stdout, {"error": "out of memory", "code": "memory"})
            continue
        payload = json.dumps({"ok": value}, separators=(",", ":"), default=str).encode()
        if len(payload) - 7 > request["max_bytes"]:
            _write(stdout, {"error": "too large", "code": "too_large", "size": len(payload) - 7})
            continue
        stdout.write(_HEADER.pack(len(payload)) + payload)
        stdout.flush()


def main() -> None:
    parent, memory = int(sys.argv[1]), int(sys.argv[2])
    _die_with_parent(parent)
    _limit_memory(memory)
    # `import cel` loads its command-line tool (prompt_toolkit: a third of a second);
    # the child needs only the runtime.
    import types

    sys.modules.setdefault("cel.cli", types.ModuleType("cel.cli"))
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C reaches the parent; it kills us
    serve(sys.stdin.buffer, sys.stdout.buffer)


if __name__ == "__main__":
    main()
