"""The run event stream over websockets: `/ws/runs/<id>/?after=<seq>`.

Authentication: the Django session cookie, or `?token=<API token>` for other clients.
The run's owner and staff watch all of it; an approver of one of its steps watches it
with the values of the nodes past their step withheld (flows.runs.visibility). Close
codes: 4401 not authenticated, 4404 no such run or not one you may see, 4400 bad `after`.

Live events come two ways: a worker's as Postgres notifications sent by the statement
that commits them (`flows.runs.listener`), the web process's own through the run's
channel group. The stream is complete and in order, without duplicates, however often a
client reconnects: the consumer starts listening on both *first*, then sends the stored
events after `after`, then the live ones; it remembers the last seq it sent and drops
anything at or below it. A message can be lost on the way (a dropped connection, a
worker that looked at the watch mark just before the client connected), so a live event
whose seq jumps ahead reveals a gap, which the consumer fills from the database (every
event is committed before it is sent). A gap at the very end has no later message to
reveal it, so when the socket has been quiet for `ws_poll_s` the consumer also asks the
database, until the run ends.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from typing import Any
from urllib.parse import parse_qs

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer
from django.contrib.auth.models import AnonymousUser

from flows.runs import conf
from flows.runs.broadcast import group_name
from flows.runs.listener import notice_listener
from flows.runs.visibility import RunView
from flows.runs.watchers import WatchMarks

FINAL_EVENTS = frozenset({"run.completed", "run.failed", "run.cancelled"})
PAGE = 1000
#: The largest event sent whole. Daphne refuses a message over 1 MiB (its default
#: `--websocket_max_message_size`) by closing the connection, and a node's output may be 4
#: MB (`DYNAMICFLOW_MAX_VALUE_BYTES`): such an event would close the socket on every
#: reconnect, and the stream would stop there. It is sent without its `data`
#: (`"data": null, "data_omitted": true`); the client reads it from the events API.
WS_EVENT_MAX_BYTES = 512 * 1024


def _query(scope: dict[str, Any]) -> dict[str, list[str]]:
    return parse_qs(scope.get("query_string", b"").decode("latin-1"))


@database_sync_to_async
def _user_for_token(key: str) -> Any:
    from rest_framework.authtoken.models import Token

    token = Token.objects.select_related("user").filter(key=key).first()
    if token is None or not token.user.is_active:
        return AnonymousUser()
    return token.user


class TokenQueryAuthMiddleware:
    """Sets scope["user"] from `?token=` when given (after the session middleware)."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> Any:
        keys = _query(scope).get("token")
        if keys:
            scope = {**scope, "user": await _user_for_token(keys[0])}
        return await self.inner(scope, receive, send)


@database_sync_to_async
def _view(user: Any, run_id: str) -> RunView | None:
    """How `user` may see the run (flows.runs.visibility), or None: not theirs or missing."""
    from flows.models import Run
    from flows.runs.visibility import run_view_for

    run = Run.objects.select_related("flow_version").filter(pk=run_id).first()
    return run_view_for(user, run) if run is not None else None


@database_sync_to_async
def _events_after(run_id: str, after: int) -> list[dict[str, Any]]:
    from flows.runs.selectors import run_events_after

    return run_events_after(run_id=run_id, after=after, limit=PAGE)


async def _accepted_after(consumer: AsyncJsonWebsocketConsumer) -> int | None:
    """The stream's `?after=` for a signed-in user, or None once the socket is closed
    (4401 not authenticated, 4400 a bad `after`)."""
    user = consumer.scope.get("user")
    if user is None or not user.is_authenticated:
        await consumer.close(code=4401)
        return None
    try:
        after = int((_query(consumer.scope).get("after") or ["0"])[0])
        if after < 0:
            raise ValueError
    except ValueError:
        await consumer.close(code=4400)
        return None
    return after


_listening_layers: set[int] = set()


async def _keep_layer_listening(layer: Any) -> None:
    """Keep one idle subscription open on this process's pub/sub channel layer.

    channels_redis's pub/sub receiver polls every 100 ms while it has no subscription
    at all, so the first events to a socket opened after all others had closed would
    arrive up to 100 ms late. A channel that is never used keeps it listening.
    """
    key = id(asyncio.get_running_loop())
    if key not in _listening_layers:
        _listening_layers.add(key)
        await layer.new_channel("idle.")


class _EventStreamConsumer(AsyncJsonWebsocketConsumer):
    """What the run and plan streams share on the way out: stop the poller, leave the
    group; the stream is one-way."""

    group: str
    joined: bool = False
    poller: asyncio.Task[None] | None = None

    async def disconnect(self, code: int) -> None:
        if self.poller is not None:
            self.poller.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self.poller
        if self.joined:
            await self.channel_layer.group_discard(self.group, self.channel_name)
            await self._left()

    async def _left(self) -> None:
        """After leaving the group (a stream's own clean-up)."""

    async def receive_json(self, content: Any, **kwargs: Any) -> None:
        return None


class RunEventsConsumer(_EventStreamConsumer):
    run_id: str
    last_sent: int
    finished: bool

    async def connect(self) -> None:
        self.run_id = str(self.scope["url_route"]["kwargs"]["run_id"])
        self.joined = False
        self.poller = None
        self.lock = asyncio.Lock()
        self.finished = False
        self.last_live = time.monotonic()
        await self.accept()
        user = self.scope.get("user")
        after = await _accepted_after(self)
        if after is None:
            return
        self.last_sent = after
        self.user = user
        view = await _view(user, self.run_id)
        if view is None:
            # Another user's run and a missing one close the same way (no existence oracle).
            await self.close(code=4404)
            return
        self.view = view
        self.group = group_name(self.run_id)
        self.marks = WatchMarks()
        await self.marks.mark(self.run_id)  # workers broadcast only to watched runs
        await notice_listener().watch(self.run_id, self.run_notice)
        await _keep_layer_listening(self.channel_layer)
        await self.channel_layer.group_add(self.group, self.channel_name)
        self.joined = True
        async with self.lock:
            await self._catch_up()
        self.poller = asyncio.get_running_loop().create_task(self._poll())

    async def _left(self) -> None:
        notice_listener().unwatch(self.run_id, self.run_notice)
        await self.marks.close()

    # ------------------------------------------------------------------ events

    async def run_notice(self, notice: dict[str, Any]) -> None:
        """A worker's notice (flows.runs.wire): its events, or how far to read them from
        the database."""
        if "events" in notice:
            await self.run_events(notice)
            return
        self.last_live = time.monotonic()
        async with self.lock:
            await self._catch_up(until=notice.get("upto"))

    async def run_events(self, message: dict[str, Any]) -> None:
        """Handles channel messages of type `run.events` (flows.runs.events.MESSAGE_TYPE)."""
        self.last_live = time.monotonic()
        async with self.lock:
            for event in message["events"]:
                seq = event["seq"]
                if seq <= self.last_sent:
                    continue  # already sent (replayed, or filled from the database)
                if seq > self.last_sent + 1:
                    await self._catch_up(until=seq - 1)
                    if seq <= self.last_sent:
                        continue
                await self._send(event)

    async def _send(self, event: dict[str, Any]) -> None:
        if self.view.shown is not None:
            if event["type"] == "run.suspended":
                # a new step may be theirs: it shows the nodes up to it from now on
                self.view = await _view(self.user, self.run_id) or self.view
            event = self.view.event(event)
        text = await self.encode_json(event)
        if len(text) > WS_EVENT_MAX_BYTES // 4 and len(text.encode()) > WS_EVENT_MAX_BYTES:
            text = await self.encode_json({**event, "data": None, "data_omitted": True})
        await self.send(text_data=text)
        self.last_sent = event["seq"]
        if event["type"] in FINAL_EVENTS:
            self.finished = True

    async def _catch_up(self, until: int | None = None) -> None:
        while until is None or self.last_sent < until:
            rows = await _events_after(self.run_id, self.last_sent)
            for row in rows:
                if until is not None and row["seq"] > until:
                    return
                await self._send(row)
            if len(rows) < PAGE:
                return

    async def _poll(self) -> None:
        interval = conf.ws_poll_s()
        while not self.finished:
            await asyncio.sleep(interval)
            await self.marks.refresh(self.run_id)
            if time.monotonic() - self.last_live < interval:
                continue
            async with self.lock:
                await self._catch_up()


# ---------------------------------------------------------------------- plan progress

PLAN_FINAL_EVENTS = frozenset({"plan.completed", "plan.failed"})


@database_sync_to_async
def _plan_events(user: Any, plan_id: str) -> list[dict[str, Any]] | None:
    """The plan request's stored events, or None when it is not the user's to watch."""
    from flows.api.errors import NotFound
    from flows.api.selectors import plan_request_get

    try:
        return list(plan_request_get(user=user, plan_id=plan_id).events or [])
    except NotFound:
        return None


class PlanEventsConsumer(_EventStreamConsumer):
    """A background plan's progress: `/ws/plans/<id>/?after=<seq>`.

    Same contract as the run stream: stored events after `after` first, then live ones,
    each once, in order. Events are stored before they are broadcast (flows.plan_stream),
    and the socket re-reads the stored ones every second until the final event, so a lost
    message only delays it. Close codes: 4401 not authenticated, 4404 not yours or no such
    request, 4400 bad `after`.
    """

    plan_id: str
    last_sent: int

    async def connect(self) -> None:
        self.plan_id = str(self.scope["url_route"]["kwargs"]["plan_id"])
        self.joined = False
        self.finished = False
        self.poller = None
        self.lock = asyncio.Lock()
        await self.accept()
        self.user = self.scope.get("user")
        after = await _accepted_after(self)
        if after is None:
            return
        self.last_sent = after
        from flows.plan_stream import plan_group_name

        self.group = plan_group_name(self.plan_id)
        await _keep_layer_listening(self.channel_layer)
        await self.channel_layer.group_add(self.group, self.channel_name)
        self.joined = True
        if not await self._catch_up():
            await self.close(code=4404)
            return
        self.poller = asyncio.get_running_loop().create_task(self._poll())


    async def plan_events(self, message: dict[str, Any]) -> None:
        """Handles channel messages of type `plan.events` (flows.plan_stream.MESSAGE_TYPE)."""
        async with self.lock:
            for event in message["events"]:
                if event["seq"] > self.last_sent + 1:  # a lost message: fill from storage
                    await self._send_stored(until=event["seq"] - 1)
                if event["seq"] > self.last_sent:
                    await self._send(event)

    async def _send(self, event: dict[str, Any]) -> None:
        await self.send_json(event)
        self.last_sent = event["seq"]
        if event["type"] in PLAN_FINAL_EVENTS:
            self.finished = True

    async def _catch_up(self) -> bool:
        async with self.lock:
            return await self._send_stored()

    async def _send_stored(self, until: int | None = None) -> bool:
        stored = await _plan_events(self.user, self.plan_id)
        if stored is None:
            return False
        for event in sorted(stored, key=lambda e: e.get("seq", 0)):
            seq = event.get("seq", 0)
            if seq > self.last_sent and (until is None or seq <= until):
                await self._send(event)
        return True

    async def _poll(self) -> None:
        while not self.finished:
            await asyncio.sleep(1.0)
            await self._catch_up()
