"""The message that sends a run to the workers, as it lands in the broker (real Redis)."""

from __future__ import annotations

import json
import uuid
from typing import Any

import redis

from flows.runs import conf, dispatch


def test_a_run_is_sent_as_a_task_that_keeps_no_result(settings: Any) -> None:
    # Given a queue of its own
    queue = f"dftest-dispatch-{uuid.uuid4().hex[:8]}"
    settings.DYNAMICFLOW_RUNS_QUEUE = queue
    direct = redis.Redis.from_url(conf.redis_url())
    run_id = uuid.uuid4()
    try:
        # When a run is enqueued
        dispatch.enqueue_run(run_id)

        # Then one message names the task and the run, and says it keeps no result (a
        # sender that expects one subscribes to its channel: two Redis round trips a run)
        raw = direct.lpop(queue)
        assert raw is not None
        assert direct.llen(queue) == 0
        headers = json.loads(raw)["headers"]
        assert headers["task"] == dispatch.EXECUTE_RUN
        assert headers["argsrepr"] == repr([str(run_id)])
        assert headers["ignore_result"] is True
    finally:
        direct.delete(queue)
