"""The inbox websocket: `/ws/inbox/` tells a signed-in user when a step joins or leaves
their inbox (`{"type": "inbox.changed", "event", "step", "run_id", "node_id", "title",
"status"}`); the page then reloads its list. Transport only: what changed is decided in
`approvals.services` and sent by `approvals.notifications` after the commit.

Close codes: 4401 not authenticated.
"""

from __future__ import annotations

from typing import Any

from channels.generic.websocket import AsyncJsonWebsocketConsumer

from approvals.notifications import inbox_group


class InboxConsumer(AsyncJsonWebsocketConsumer):
    group: str | None = None

    async def connect(self) -> None:
        await self.accept()
        user = self.scope.get("user")
        if user is None or not user.is_authenticated:
            await self.close(code=4401)
            return
        self.group = inbox_group(user.pk)
        await self.channel_layer.group_add(self.group, self.channel_name)
        await self.send_json({"type": "inbox.ready"})

    async def disconnect(self, code: int) -> None:
        if self.group is not None:
            await self.channel_layer.group_discard(self.group, self.channel_name)

    async def inbox_changed(self, message: dict[str, Any]) -> None:
        await self.send_json(message)
