"""Per-call latency of an MCP tool: a stdio server on a worker's live session, the same tool
over Streamable HTTP on a worker's live session, and beside them a fresh stdio process per
call and a fresh HTTP connection and MCP session per call (how calls ran before).

    python benchmarks/mcp_calls.py [--calls N] [--fresh N]

The tool is `get_current_time` of the reference server mcp-server-time when it is installed
(served over stdio as published, and over Streamable HTTP by the same server object), else
`add` of the repository's test server (tests/tools_registry/mcp_test_server.py). Calls go
through `mcp_call_tool`, the path a run takes, all from one event loop.

Figures, in ms: cold = the first call (for stdio, the server's start and handshake; for
HTTP, the connection and handshake), warm = median and p95 of N further calls. Target: a
warm call (stdio or HTTP) costs at most 50 ms.
"""

from __future__ import annotations

import argparse
import asyncio
import importlib.util
import statistics
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.local_servers import mcp_http_subprocess  # noqa: E402
from tools_registry.kinds.mcp import McpEndpoint, mcp_call_tool  # noqa: E402
from tools_registry.kinds.mcp_sessions import close_mcp_sessions  # noqa: E402

WARM_TARGET_MS = 50.0
TEST_SERVER = str(ROOT / "tests" / "tools_registry" / "mcp_test_server.py")
TIME_SERVER_OVER_HTTP = (
    "import sys; from mcp_server_time.server import create_server; "
    "create_server('UTC').run('streamable-http', host='127.0.0.1', port=int(sys.argv[1]))"
)


def reference_server_installed() -> bool:
    return importlib.util.find_spec("mcp_server_time") is not None


def subject() -> tuple[str, list[str], list[str], str, dict[str, Any]]:
    """(label, stdio args, HTTP command before the port, tool, arguments)."""
    if reference_server_installed():
        return ("mcp-server-time get_current_time", ["-m", "mcp_server_time"],
                ["-c", TIME_SERVER_OVER_HTTP], "get_current_time", {"timezone": "UTC"})
    return ("test server add", [TEST_SERVER], [TEST_SERVER, "--port"], "add", {"a": 2, "b": 3})


async def timed_calls(endpoint: McpEndpoint, tool: str, arguments: dict[str, Any],
                      calls: int) -> list[float]:
    """The latency of `calls` calls in a row, in ms."""
    samples = []
    for _ in range(calls):
        start = time.perf_counter()
        await mcp_call_tool(endpoint, tool, arguments)
        samples.append((time.perf_counter() - start) * 1000)
    return samples


async def fresh_process_calls(args: list[str], tool: str, arguments: dict[str, Any],
                              calls: int) -> list[float]:
    """A process started and stopped for every call, as before sessions were kept."""
    from mcp import Client, StdioServerParameters

    samples = []
    for _ in range(calls):
        start = time.perf_counter()
        async with Client(StdioServerParameters(command=sys.executable, args=args)) as client:
            await client.call_tool(tool, arguments)
        samples.append((time.perf_counter() - start) * 1000)
    return samples


async def fresh_connection_calls(url: str, tool: str, arguments: dict[str, Any],
                                 calls: int) -> list[float]:
    """A connection and an MCP session opened and closed for every call, as before."""
    from mcp import Client

    samples = []
    for _ in range(calls):
        start = time.perf_counter()
        async with Client(url) as client:
            await client.call_tool(tool, arguments)
        samples.append((time.perf_counter() - start) * 1000)
    return samples


def verdict(warm: list[float]) -> str:
    met = "met" if statistics.median(warm) <= WARM_TARGET_MS else "MISSED"
    return f"target warm <= {WARM_TARGET_MS:g} ms: {met}"


def p95(samples: list[float]) -> float:
    return statistics.quantiles(samples, n=20)[-1] if len(samples) > 1 else samples[0]


def row(name: str, cold: float | None, warm: list[float], target: str = "") -> str:
    cold_text = f"{cold:9.1f}" if cold is not None else f"{'-':>9}"
    return (f"{name:<44} {cold_text} {statistics.median(warm):11.2f} {p95(warm):9.2f}"
            f"  {target}")


async def measure(calls: int, fresh: int) -> None:
    import mcp.client.stdio
    import mcp.client.streamable_http  # noqa: F401  (imported now, not inside a cold call)

    label, stdio_args, http_command, tool, arguments = subject()
    print(f"tool: {label}; {calls} warm calls, {fresh} fresh-process/-session calls")
    print(f"{'transport':<44} {'cold ms':>9} {'warm median':>11} {'warm p95':>9}")

    stdio = McpEndpoint(name="bench", transport="stdio", command=sys.executable,
                        args=tuple(stdio_args))
    cold = (await timed_calls(stdio, tool, arguments, 1))[0]
    warm = await timed_calls(stdio, tool, arguments, calls)
    print(row("stdio, live session", cold, warm, verdict(warm)))

    with mcp_http_subprocess(http_command) as url:
        http = McpEndpoint(name="bench", transport="streamable_http", url=url,
                           allowed_hosts=("127.0.0.1",))
        cold = (await timed_calls(http, tool, arguments, 1))[0]
        warm = await timed_calls(http, tool, arguments, calls)
        print(row("streamable HTTP, live session", cold, warm, verdict(warm)))
        close_mcp_sessions()
        print(row("streamable HTTP, a session per call (before)", None,
                  await fresh_connection_calls(url, tool, arguments, fresh)))

    print(row("stdio, a process per call (before)", None,
              await fresh_process_calls(stdio_args, tool, arguments, fresh)))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=200)
    parser.add_argument("--fresh", type=int, default=10)
    options = parser.parse_args()
    asyncio.run(measure(options.calls, options.fresh))


if __name__ == "__main__":
    main()
