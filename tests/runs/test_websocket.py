"""The run event stream through a real Daphne server and a websocket client."""

from __future__ import annotations

import asyncio
import json
import time
import uuid
from typing import Any

import pytest
from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.utils import timezone
from rest_framework.authtoken.models import Token
from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed

from flows.core.events import Event
from flows.models import Run, RunEvent
from flows.runs import services, store
from flows.runs.broadcast import MESSAGE_TYPE, group_name
from flows.runs.events import RunEventWriter
from tests.runs.helpers import chain

FINAL = ("run.completed", "run.failed", "run.cancelled")

pytestmark = [pytest.mark.slow, pytest.mark.urls("tests.runs.urls")]


def _token(user: Any) -> str:
    return Token.objects.create(user=user).key


async def _read(
    url: str, origin: str, *, until: int | None = None, count: int | None = None, timeout=20.0
) -> list[dict[str, Any]]:
    """Events from one connection: until seq `until` (or `count` events), then disconnect."""
    events: list[dict[str, Any]] = []
    async with asyncio.timeout(timeout), connect(url, origin=origin, max_size=None) as socket:
        while True:
            event = json.loads(await socket.recv())
            events.append(event)
            if until is not None and event["seq"] >= until:
                return events
            if count is not None and len(events) >= count:
                return events
            if until is None and count is None and event["type"] in FINAL:
                return events


async def _close_code(url: str, origin: str) -> int | None:
    async with asyncio.timeout(10), connect(url, origin=origin) as socket:
        try:
            await socket.recv()
        except ConnectionClosed as closed:
            return closed.rcvd.code if closed.rcvd else None
    return None


async def _joined(run: Run, timeout: float = 10.0) -> None:
    """Wait until the consumer has subscribed to the run's group (a Redis pub/sub channel);
    it listens for the workers' notices before that."""
    import redis.asyncio as aioredis

    from flows.runs import conf

    channel = f"asgi__group__{group_name(run.id)}"  # channels_redis pub/sub's naming
    client = aioredis.from_url(conf.redis_url())
    try:
        async with asyncio.timeout(timeout):
            while not (await client.pubsub_numsub(channel))[0][1]:  # noqa: ASYNC110 - Redis, not this loop
                await asyncio.sleep(0.01)
    finally:
        await client.aclose()


def _stored_seqs(run: Run) -> list[int]:
    return list(RunEvent.objects.filter(run=run).order_by("seq").values_list("seq", flat=True))


def test_only_the_owner_and_staff_may_watch(user, other_user, staff_user, make_version, daphne):
    version = make_version(chain(1, tool="t_noop"))
    run = Run.objects.create(flow_version=version, requested_by=user, input={})
    RunEvent.objects.create(run=run, seq=1, type="run.started", ts=timezone.now())
    path = f"/ws/runs/{run.id}/"

    def code(query: str) -> int | None:
        return async_to_sync(_close_code)(daphne.url(path + query), daphne.origin)

    assert code("") == 4401
    assert code("?token=not-a-token") == 4401
    assert code(f"?token={_token(other_user)}") == 4404  # the same as a missing run
    assert code(f"?token={_token(user)}&after=x") == 4400
    missing = f"/ws/runs/{uuid.uuid4()}/?token={_token(staff_user)}"
    assert async_to_sync(_close_code)(daphne.url(missing), daphne.origin) == 4404
    for who in (user, staff_user):
        url = daphne.url(f"{path}?token={Token.objects.get(user=who).key}")
        first = async_to_sync(_read)(url, daphne.origin, count=1)
        assert first[0]["seq"] == 1
        assert first[0]["type"] == "run.started"


def test_reconnecting_clients_get_every_event_once(user, make_version, workers, daphne, api):
    # Given a run that emits events over a few seconds
    version = make_version(chain(8))
    run = services.run_create(
        user=user, flow_version_id=version.id, run_input={"seconds": 0.15, "log": ""}
    )
    token = _token(user)
    received: list[dict[str, Any]] = []

    # When a client reads a few events at a time, reconnecting with ?after=<last seq>
    async def watch() -> None:
        while not received or received[-1]["type"] not in FINAL:
            after = received[-1]["seq"] if received else 0
            url = daphne.url(f"/ws/runs/{run.id}/?after={after}&token={token}")
            received.extend(await _read(url, daphne.origin, count=3, timeout=30))

    async_to_sync(watch)()

    # Then it saw the whole stored sequence, in order, once; the REST endpoint agrees
    assert received[-1]["type"] == "run.completed"
    seqs = [e["seq"] for e in received]
    assert seqs == list(range(1, len(seqs) + 1))
    assert seqs == _stored_seqs(run)
    rest = api.get(f"/api/v1/runs/{run.id}/events/?after=0").json()
    assert [e["seq"] for e in rest["events"]] == seqs
    assert [e["type"] for e in rest["events"]] == [e["type"] for e in received]
    tail = api.get(f"/api/v1/runs/{run.id}/events/?after=5").json()["events"]
    assert [e["seq"] for e in tail] == seqs[5:]


def _wire(run_id: str, seq: int) -> dict[str, Any]:
    return {"seq": seq, "type": "node.output", "ts": time.time(), "run_id": run_id, "data": {}}


def test_gaps_in_the_live_stream_are_filled_from_the_database(user, make_version, daphne):
    # Given a run with ten stored events, of which the channel layer delivers only some
    version = make_version(chain(1, tool="t_noop"))
    run = Run.objects.create(flow_version=version, requested_by=user, input={})
    token = _token(user)
    layer = get_channel_layer()

    async def scenario() -> list[int]:
        url = daphne.url(f"/ws/runs/{run.id}/?token={token}")
        async with asyncio.timeout(20), connect(url, origin=daphne.origin) as socket:
            await _joined(run)
            await _store_events(run, range(1, 11))
            run_id = str(run.id)
            for seq in (1, 2, 5, 6, 8):  # 3, 4 and 7 are "dropped", and 9, 10 at the end
                await layer.group_send(
                    group_name(run.id), {"type": MESSAGE_TYPE, "events": [_wire(run_id, seq)]}
                )
            return [json.loads(await socket.recv())["seq"] for _ in range(10)]

    assert async_to_sync(scenario)() == list(range(1, 11))


async def _store_events(run: Run, seqs: Any) -> None:
    from channels.db import database_sync_to_async

    await database_sync_to_async(RunEvent.objects.bulk_create)(
        [RunEvent(run=run, seq=s, type="node.output", ts=timezone.now()) for s in seqs]
    )


def _claimed_run(user: Any, make_version: Any, writer: str) -> tuple[Run, store.Claim]:
    """A run held by `writer`, for a test that writes its events directly."""
    version = make_version(chain(1, tool="t_noop"))
    run = Run.objects.create(flow_version=version, requested_by=user, input={})
    claim = store.claim_run(str(run.id), writer, 60)
    assert claim is not None
    return run, claim


def test_a_burst_of_10000_events_arrives_complete(user, make_version, daphne):
    # Given a client watching a run, and a worker-side writer that commits 10,000 events
    # as fast as it can (their notices as big as Postgres takes)
    run, claim = _claimed_run(user, make_version, "burst-writer")
    token = _token(user)
    total = 10_000
    db = store.DbThread()

    async def scenario() -> list[int]:
        url = daphne.url(f"/ws/runs/{run.id}/?token={token}")
        async with asyncio.timeout(90), connect(url, origin=daphne.origin) as socket:
            await _joined(run)
            writer = RunEventWriter(claim=claim, token="burst-writer", worker="w", db=db)
            run_id = str(run.id)
            for seq in range(1, total + 1):
                writer.emit(Event(seq, "node.output", time.time(), run_id, "n1", {"i": seq}))
            await writer.flush()
            await writer.close()
            seqs = []
            while len(seqs) < total:
                seqs.append(json.loads(await socket.recv())["seq"])
            return seqs

    try:
        seqs = async_to_sync(scenario)()
    finally:
        db.shutdown()

    # Then every event arrives, in order, once
    assert seqs == list(range(1, total + 1))


def _drop_notice_listeners() -> int:
    """Terminate the web process's listening connection, as a Postgres restart would (from
    a thread of its own, whose connection it closes)."""
    from django.db import connection

    from flows.runs.listener import APPLICATION_NAME

    try:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
                " WHERE application_name = %s AND datname = current_database()",
                [APPLICATION_NAME],
            )
            return cursor.fetchone()[0]
    finally:
        connection.close()


def test_a_stream_survives_losing_the_notice_connection(user, make_version, daphne):
    # Given a client watching a run that has received the first half of a stream
    run, claim = _claimed_run(user, make_version, "drop-writer")
    token = _token(user)
    half = 500
    db = store.DbThread()

    async def scenario() -> tuple[list[int], int]:
        url = daphne.url(f"/ws/runs/{run.id}/?token={token}")
        async with asyncio.timeout(60), connect(url, origin=daphne.origin) as socket:
            await _joined(run)
            writer = RunEventWriter(claim=claim, token="drop-writer", worker="w", db=db)
            run_id = str(run.id)

            def emit(seqs: range) -> None:
                for seq in seqs:
                    writer.emit(Event(seq, "node.output", time.time(), run_id, "n1", {"i": seq}))

            emit(range(1, half + 1))
            await writer.flush()
            seqs = [json.loads(await socket.recv())["seq"] for _ in range(half)]
            # When Postgres drops the web process's listening connection, and the second
            # half is committed while it is gone
            dropped = await asyncio.to_thread(_drop_notice_listeners)
            emit(range(half + 1, 2 * half + 1))
            await writer.flush()
            await writer.close()
            while len(seqs) < 2 * half:
                seqs.append(json.loads(await socket.recv())["seq"])
            return seqs, dropped

    try:
        seqs, dropped = async_to_sync(scenario)()
    finally:
        db.shutdown()

    # Then the connection was dropped, and the client still got every event, in order, once
    assert dropped >= 1
    assert seqs == list(range(1, 2 * half + 1))


def test_an_event_too_big_for_a_notice_reaches_the_socket_whole(user, make_version, daphne):
    # Given a client watching a run, and a worker-side writer that commits an event too
    # big for a Postgres notification between two small ones
    run, claim = _claimed_run(user, make_version, "notice-writer")
    token = _token(user)
    db = store.DbThread()

    async def scenario() -> list[dict[str, Any]]:
        url = daphne.url(f"/ws/runs/{run.id}/?token={token}")
        async with asyncio.timeout(20), connect(url, origin=daphne.origin) as socket:
            await _joined(run)
            writer = RunEventWriter(claim=claim, token="notice-writer", worker="w", db=db)
            run_id = str(run.id)
            big = {"text": "x" * 20_000}  # beyond a notification: read from the database
            writer.emit(Event(1, "node.output", time.time(), run_id, "n1", {"i": 1}))
            writer.emit(Event(2, "node.output", time.time(), run_id, "n1", big))
            writer.emit(Event(3, "node.output", time.time(), run_id, "n1", {"i": 3}))
            await writer.flush()
            received = [json.loads(await socket.recv()) for _ in range(3)]
            await writer.close()
            return received

    try:
        received = async_to_sync(scenario)()
    finally:
        db.shutdown()

    # Then every event arrives, in order, the big one whole
    assert [e["seq"] for e in received] == [1, 2, 3]
    assert received[1]["data"] == {"text": "x" * 20_000}
    assert received[2]["data"] == {"i": 3}


def test_an_event_too_big_for_a_websocket_message_comes_without_its_data(
    user, make_version, daphne
):
    # Given a run whose second event is a 2 MB node output (Daphne sends at most 1 MiB in
    # one message, and closes the socket on a bigger one)
    from flows.consumers import WS_EVENT_MAX_BYTES

    version = make_version(chain(1, tool="t_noop"))
    run = Run.objects.create(flow_version=version, requested_by=user, input={})
    big = {"output": "x" * 2_000_000}
    RunEvent.objects.bulk_create([
        RunEvent(run=run, seq=seq, type="node.output", node_id="n1", payload=data,
                 ts=timezone.now())
        for seq, data in ((1, {"output": 1}), (2, big), (3, {"output": 3}))
    ])  # fmt: skip
    assert len(json.dumps(big)) > WS_EVENT_MAX_BYTES
    token = _token(user)

    # When a client watches it from the start
    received = async_to_sync(_read)(
        daphne.url(f"/ws/runs/{run.id}/?token={token}"), daphne.origin, count=3
    )

    # Then every event arrives in order on the one connection, the big one without its data
    # (the events API has it), flagged so that the client knows to read it there
    assert [e["seq"] for e in received] == [1, 2, 3]
    assert received[1]["data"] is None
    assert received[1]["data_omitted"] is True
    assert (received[1]["type"], received[1]["node_id"]) == ("node.output", "n1")
    assert received[2]["data"] == {"output": 3}
    assert "data_omitted" not in received[2]
