"""A websocket to a path no consumer serves (or a run id that is not a UUID) is closed with
4404 in the protocol, like a run one may not watch, not refused with a server error."""

from __future__ import annotations

import pytest
from channels.testing import WebsocketCommunicator

from dynamicflow_site.asgi import application


@pytest.mark.parametrize("path", ["/ws/approvals/", "/ws/runs/not-a-uuid/", "/ws/"])
async def test_an_unknown_socket_path_closes_with_4404(path: str) -> None:
    socket = WebsocketCommunicator(application, path,
                                   headers=[(b"origin", b"http://127.0.0.1:8000")])

    connected, _ = await socket.connect()
    closed = await socket.receive_output()

    assert connected
    assert closed == {"type": "websocket.close", "code": 4404}
    await socket.disconnect()
