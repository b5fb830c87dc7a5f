"""A worker's events as Postgres notifications: sent by the statement that commits them,
only for a watched run whose lease is held, and heard by the web process's listener."""

from __future__ import annotations

import asyncio
import json
import time
from datetime import UTC, datetime
from typing import Any

import psycopg
import pytest
from asgiref.sync import async_to_sync
from django.db import connection

from flows.core.checkpoints import NodeRecord
from flows.core.events import Event
from flows.models import Run
from flows.runs import store
from flows.runs.listener import NoticeListener
from flows.runs.wire import NOTICE_CHANNEL, NOTICE_MAX_BYTES, encode_json, run_notices
from tests.runs.helpers import chain

RUN = "4f6b1c1e-8f5a-4c1e-9d55-0d7c1f3a9b21"


def _event(seq: int, data: Any = None) -> Event:
    return Event(seq, "node.output", 1.5, RUN, "n1", {"i": seq} if data is None else data)


def test_notices_carry_the_events_in_order_each_under_the_limit():
    events = [_event(seq, {"text": "y" * 500}) for seq in range(1, 41)]

    notices = run_notices(RUN, events)

    assert len(notices) > 1
    assert all(len(n.encode()) <= NOTICE_MAX_BYTES for n in notices)
    carried = [e for n in notices for e in json.loads(n)["events"]]
    assert [e["seq"] for e in carried] == list(range(1, 41))
    assert {json.loads(n)["run_id"] for n in notices} == {RUN}
    assert carried[0] == {
        "seq": 1,
        "type": "node.output",
        "ts": 1.5,
        "run_id": RUN,
        "node_id": "n1",
        "data": {"text": "y" * 500},
        "elapsed_ms": None,
        "duration_ms": None,
    }


def test_an_event_too_big_for_a_notice_is_read_from_the_database():
    events = [_event(1), _event(2, {"text": "é" * 4_000}), _event(3, {"n": 2**70}), _event(4)]

    notices = [json.loads(n) for n in run_notices(RUN, events)]

    # 8,000 bytes of UTF-8 is beyond a notification; the others travel, a long integer whole
    assert notices[1] == {"run_id": RUN, "upto": 2}
    assert [n.get("upto") for n in notices] == [None, 2, None]
    assert [e["seq"] for e in notices[0]["events"]] == [1]
    assert [e["seq"] for e in notices[2]["events"]] == [3, 4]
    assert notices[2]["events"][0]["data"] == {"n": 2**70}


def test_a_notice_carries_an_event_s_data_as_the_database_stores_it():
    when = datetime(2026, 12, 1, 9, 30, tzinfo=UTC)
    (notice,) = run_notices(RUN, [_event(1, {"when": when, 7: "seven"})])

    carried = json.loads(notice)["events"][0]["data"]
    assert carried == json.loads(encode_json({"when": when, 7: "seven"}))
    assert carried == {"when": "2026-12-01 09:30:00+00:00", "7": "seven"}


# --------------------------------------------------------------------------- statements


def _listening() -> psycopg.Connection[Any]:
    listener = psycopg.connect(autocommit=True, **store.connection_params())
    listener.execute(f"LISTEN {NOTICE_CHANNEL}")
    return listener


def _heard(listener: psycopg.Connection[Any], wait_s: float = 2.0) -> list[dict[str, Any]]:
    """The notices that arrive within `wait_s` of the last one."""
    return [json.loads(n.payload) for n in listener.notifies(timeout=wait_s)]


@pytest.fixture
def held_run(user, make_version, transactional_db) -> Run:
    run = Run.objects.create(flow_version=make_version(chain(1)), requested_by=user, input={})
    assert store.claim_run(str(run.id), "me", 60) is not None
    return run


def _record(node_id: str) -> NodeRecord:
    now = time.time()
    return NodeRecord(node_id, "completed", output={"ok": True}, started_at=now, finished_at=now)


@pytest.mark.parametrize("events", [2, 40], ids=["one-by-one", "as-a-json-array"])
def test_a_watched_run_s_node_write_notifies_its_events(held_run, events):
    run_id = str(held_run.id)
    sent = [_event_of(run_id, seq) for seq in range(1, 1 + events)]
    listener = _listening()
    try:
        # When a node statement commits the events of a run someone watches
        written = store.write_nodes(
            [store.NodeWrite(run_id, "me", "w", sent, [_record("n1")], watched=True)]
        )
        heard = _heard(listener)
    finally:
        listener.close()

    # Then its notices carry each event once, in order
    assert written == {run_id}
    assert {n["run_id"] for n in heard} == {run_id}
    assert [e["seq"] for n in heard for e in n["events"]] == list(range(1, 1 + events))


def test_no_notice_for_an_unwatched_run_or_a_lost_lease(held_run, user, make_version):
    run_id = str(held_run.id)
    other = Run.objects.create(flow_version=make_version(chain(1)), requested_by=user, input={})
    assert store.claim_run(str(other.id), "someone-else", 60) is not None
    listener = _listening()
    try:
        unwatched = store.write_nodes(
            [store.NodeWrite(run_id, "me", "w", [_event_of(run_id, 1)], [], watched=False)]
        )
        lost = store.write_nodes(
            [store.NodeWrite(str(other.id), "me", "w", [_event_of(str(other.id), 1)], watched=True)]
        )
        heard = _heard(listener, wait_s=0.5)
    finally:
        listener.close()

    assert unwatched == {run_id}
    assert lost == set()  # its lease is someone else's: nothing written, nothing sent
    assert heard == []


def _event_of(run_id: str, seq: int) -> Event:
    return Event(seq, "node.output", time.time(), run_id, "n1", {"i": seq})


def test_the_outcome_notifies_the_run_s_last_events(held_run):
    run_id = str(held_run.id)
    listener = _listening()
    try:
        store.write_final(
            store.FinalWrite(
                run_id,
                "me",
                "w",
                store.Final("completed"),
                [Event(1, "run.completed", time.time(), run_id, None, {})],
                watched=True,
            )
        )
        heard = _heard(listener)
    finally:
        listener.close()

    assert [(e["seq"], e["type"]) for n in heard for e in n["events"]] == [(1, "run.completed")]


# --------------------------------------------------------------------------- listener


def test_the_listener_hands_each_run_s_notices_to_its_watchers(held_run, user, make_version):
    run_id = str(held_run.id)
    other = Run.objects.create(flow_version=make_version(chain(1)), requested_by=user, input={})
    assert store.claim_run(str(other.id), "me", 60) is not None

    async def scenario() -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
        listener = NoticeListener()
        mine: list[dict[str, Any]] = []
        theirs: list[dict[str, Any]] = []
        arrived = asyncio.Event()

        async def deliver(notice: dict[str, Any]) -> None:
            mine.append(notice)
            arrived.set()

        async def deliver_other(notice: dict[str, Any]) -> None:
            theirs.append(notice)

        await listener.watch(run_id, deliver)
        await listener.watch(str(other.id), deliver_other)
        listener.unwatch(str(other.id), deliver_other)
        assert listener.listening
        writes = [
            store.NodeWrite(run_id, "me", "w", [_event_of(run_id, 1)], watched=True),
            store.NodeWrite(str(other.id), "me", "w", [_event_of(str(other.id), 1)], watched=True),
        ]
        await asyncio.to_thread(_write_and_close, writes)
        async with asyncio.timeout(5):
            await arrived.wait()
        await listener.close()
        return mine, theirs

    mine, theirs = async_to_sync(scenario)()

    assert [[e["seq"] for e in n["events"]] for n in mine] == [[1]]
    assert mine[0]["run_id"] == run_id
    assert theirs == []  # no longer watched


def _write_and_close(writes: list[store.NodeWrite]) -> None:
    try:
        assert store.write_nodes(writes) == {w.run_id for w in writes}
    finally:
        connection.close()
