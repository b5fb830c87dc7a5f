"""The plan cache: its key, the in-memory store, and the Redis-backed Django store."""

from __future__ import annotations

import redis
from django.conf import settings
from django.core.cache import caches

from flows.core.planner.cache import (
    InMemoryPlanCache,
    catalog_hash,
    normalise_prompt,
    plan_cache_key,
)
from flows.core.planner.offline import OfflinePlanner
from flows.core.planner.session import plan_flow
from flows.planning import DjangoPlanCache
from tests.planner.tools import SPECS


def key(prompt="Send an email", digest="abc", planner="offline", model=None):
    return plan_cache_key(prompt=prompt, catalog_digest=digest, planner=planner, model=model)


def test_the_key_ignores_case_and_spacing_but_not_words():
    assert normalise_prompt("  Send   an\nEMAIL ") == "send an email"
    assert key("Send an email") == key("  send AN   email ")
    assert key("Send an email") != key("Send a letter")


def test_the_key_changes_with_catalogue_planner_and_model():
    assert (
        len(
            {
                key(),
                key(digest="xyz"),
                key(planner="openai"),
                key(model="m1"),
                key(planner="openai", model="m2"),
            }
        )
        == 5
    )


def test_the_catalogue_hash_follows_the_specs_not_their_order():
    assert catalog_hash(SPECS) == catalog_hash(list(reversed(SPECS)))
    assert catalog_hash(SPECS) != catalog_hash(SPECS[:-1])


def test_the_in_memory_cache_expires():
    now = [0.0]
    cache = InMemoryPlanCache(clock=lambda: now[0])
    cache.set("k", {"ir": {"name": "x"}}, ttl_s=60)

    now[0] = 59.0
    assert cache.get("k") == {"ir": {"name": "x"}}
    now[0] = 60.0
    assert cache.get("k") is None


def test_the_django_cache_stores_in_redis_with_the_ttl(isolated_cache):
    store = DjangoPlanCache()

    store.set("plan:abc", {"ir": {"name": "stored"}}, ttl_s=120)

    assert store.get("plan:abc") == {"ir": {"name": "stored"}}
    raw_key = caches["default"].make_key("planner:plan:abc")
    ttl = redis.Redis.from_url(settings.REDIS_URL).ttl(raw_key)
    assert 100 < ttl <= 120
    store.delete("plan:abc")
    assert store.get("plan:abc") is None


def test_a_second_identical_request_is_a_hit_that_says_so(isolated_cache, catalog):
    store = DjangoPlanCache()
    prompt = "Verify the email address, then send an email."
    first = plan_flow(prompt, planner=OfflinePlanner(), catalog=catalog, cache=store)

    second = plan_flow(prompt.upper(), planner=OfflinePlanner(), catalog=catalog, cache=store)

    assert not first.cache_hit
    assert second.cache_hit
    assert second.cache_key == first.cache_key
    assert second.ir["nodes"] == first.ir["nodes"]
    assert second.attempts == []
    assert second.events[-1].data["cache_hit"] is True


def test_a_cache_that_fails_does_not_fail_planning(catalog):
    class Broken:
        def get(self, key):
            raise ConnectionError("redis is down")

        def set(self, key, value, ttl_s):
            raise ConnectionError("redis is down")

    result = plan_flow("Send an SMS.", planner=OfflinePlanner(), catalog=catalog, cache=Broken())

    assert result.ok
    assert not result.cache_hit


def test_the_key_changes_with_the_planners_code(monkeypatch):
    from flows.core.planner import cache

    before = key("validate the email")
    monkeypatch.setattr(cache, "planner_code_digest", lambda: "another-planner")

    assert key("validate the email") != before
