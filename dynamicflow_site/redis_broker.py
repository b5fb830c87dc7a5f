"""Celery's Redis broker transport, with one Redis client per channel instead of one per
command.

kombu's Redis channel builds a new `redis.Redis` for every message it publishes and for
each bookkeeping step of a late-acknowledged task (recording it as unacknowledged, then
acknowledging it). Each new client sets up redis-py's ~170 reply callbacks, which costs
more CPU than the command it sends, two or three times per task. A client is a thin,
thread-safe handle on the channel's connection pool, so one per pool serves every call.
The settings name this transport for `redis://` broker URLs (`CELERY_BROKER_TRANSPORT`).
"""

from __future__ import annotations

from typing import Any

from kombu.transport import redis as kombu_redis


class Channel(kombu_redis.Channel):
    _shared_client: Any = None

    def _create_client(self, asynchronous: bool = False) -> Any:
        if asynchronous:  # kombu keeps its one asynchronous client itself (`client`)
            return super()._create_client(asynchronous=True)
        client = self._shared_client
        # A channel that reconnected has a new pool: its client follows.
        if client is None or client.connection_pool is not self.pool:
            client = self._shared_client = super()._create_client()
        return client


class Transport(kombu_redis.Transport):
    Channel = Channel
