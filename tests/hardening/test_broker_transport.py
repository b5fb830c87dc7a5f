"""The broker's transport (dynamicflow_site/redis_broker.py): each channel keeps one Redis
client for its commands, follows a new pool after a reconnect, and messages still go
through with late acknowledgement (against the real Redis)."""

from __future__ import annotations

import uuid

import redis

from dynamicflow_site.celery import app
from dynamicflow_site.redis_broker import Transport
from flows.runs import conf


def test_a_channel_keeps_one_client_and_late_acknowledgement_still_works() -> None:
    queue_name = f"dftest-broker-{uuid.uuid4().hex[:8]}"
    direct = redis.Redis.from_url(conf.redis_url())
    with app.connection_for_write() as connection:
        assert isinstance(connection.transport, Transport)
        channel = connection.default_channel
        with channel.conn_or_acquire() as first, channel.conn_or_acquire() as second:
            assert first is second

        queue = connection.SimpleQueue(queue_name)
        try:
            queue.put({"n": 1})
            message = queue.get(timeout=5)
            assert message.payload == {"n": 1}
            # received, not yet acknowledged: kombu's bookkeeping holds it for redelivery
            assert direct.hexists(channel.unacked_key, message.delivery_tag)
            message.ack()
            assert not direct.hexists(channel.unacked_key, message.delivery_tag)
        finally:
            queue.clear()
            queue.close()

        before = first
        channel._disconnect_pools()  # what a lost connection does: a new pool next time
        with channel.conn_or_acquire() as after:
            assert after is not before
            assert after.connection_pool is channel.pool
            assert after.ping()
